//! The client's address, as the accept loop saw the TCP peer (put in every request's
//! extensions by [`crate::server`]); the login throttle counts attempts per address. Behind
//! a reverse proxy (`--plain-http`) every client has the proxy's address, so the per-address
//! limit then applies to all of them together (the per-account limit is unchanged).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use std::convert::Infallible;
use std::net::IpAddr;

/// The peer's address (`None` when the request came without one: tests, an in-process call).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClientAddr(pub Option<IpAddr>);

impl ClientAddr {
    /// The throttling key of this address: an IPv4 address whole (IPv4-mapped IPv6 too),
    /// an IPv6 address by its /64 (one machine usually holds a whole /64).
    pub fn throttle_key(&self) -> String {
        match self.0.map(|ip| ip.to_canonical()) {
            Some(IpAddr::V4(v4)) => format!("address:{v4}"),
            Some(IpAddr::V6(v6)) => {
                let s = v6.segments();
                format!("address:{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
            None => "address:unknown".to_owned(),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<ClientAddr, Infallible> {
        Ok(parts
            .extensions
            .get::<ClientAddr>()
            .copied()
            .unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_keyed_whole_for_ipv4_and_by_slash_64_for_ipv6() {
        let key = |text: &str| ClientAddr(Some(text.parse().unwrap())).throttle_key();
        assert_eq!(key("192.0.2.7"), "address:192.0.2.7");
        assert_eq!(key("::ffff:192.0.2.7"), "address:192.0.2.7");
        assert_eq!(key("2001:db8:1:2:3:4:5:6"), "address:2001:db8:1:2::/64");
        assert_eq!(key("2001:db8:1:2::9"), key("2001:db8:1:2:ffff::1"));
        assert_eq!(ClientAddr(None).throttle_key(), "address:unknown");
    }
}
