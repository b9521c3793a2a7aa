//! What the running sshd offers the examiner's own SSH connection: before authenticating,
//! a `none` attempt makes the server list the methods that can continue (RFC 4252 §5.2).
//! That is evidence of the daemon in service, not of its files: an edited `sshd_config`
//! whose daemon was never restarted still offers `password`. Recorded in the snapshot's
//! `collection.ssh_server` (the agent never writes it).

use constat_snapshot::collection::SshServerOffer;
use russh::client::{self, AuthResult, Handle};
use serde_json::Value;

/// The methods the server offers `user` after a `none` attempt; `None` when it did not
/// answer (the real authentication that follows reports the error).
pub(super) async fn offered<H: client::Handler>(
    handle: &mut Handle<H>,
    user: &str,
) -> Option<SshServerOffer> {
    let auth_methods = match handle.authenticate_none(user).await.ok()? {
        AuthResult::Failure {
            remaining_methods, ..
        } => remaining_methods
            .iter()
            .map(|m| <&str>::from(m).to_owned())
            .collect(),
        // The server let the account in without any authentication.
        AuthResult::Success => vec!["none".to_owned()],
    };
    Some(SshServerOffer {
        user: user.to_owned(),
        auth_methods,
        host_key_algorithm: None,
    })
}

/// The snapshot JSON with the offer recorded in `collection.ssh_server`; unchanged when
/// there is none or the JSON has no `collection` object (validation reports that).
pub(super) fn record(json: Vec<u8>, offer: Option<SshServerOffer>) -> Vec<u8> {
    let Some(offer) = offer else {
        return json;
    };
    let Ok(mut value) = serde_json::from_slice::<Value>(&json) else {
        return json;
    };
    let (Some(collection), Ok(offer)) = (
        value.get_mut("collection").and_then(Value::as_object_mut),
        serde_json::to_value(offer),
    ) else {
        return json;
    };
    collection.insert("ssh_server".to_owned(), offer);
    serde_json::to_vec(&value).unwrap_or(json)
}

#[cfg(test)]
mod tests {
    use super::record;
    use constat_snapshot::collection::SshServerOffer;

    #[test]
    fn the_offer_lands_in_collection() {
        let json = br#"{"schema_version":1,"collection":{"agent":"constat-agent"},"sections":{}}"#;
        let out = record(
            json.to_vec(),
            Some(SshServerOffer {
                user: "jury".into(),
                auth_methods: vec!["publickey".into(), "password".into()],
                host_key_algorithm: None,
            }),
        );
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(
            v["collection"]["ssh_server"]["auth_methods"],
            serde_json::json!(["publickey", "password"])
        );
        assert_eq!(record(b"not json".to_vec(), None), b"not json");
    }
}
