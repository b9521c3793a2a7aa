//! Reads one entry of `checks:`: a check, or an `include` when `include` is its first key.
//!
//! serde's `untagged` would buffer the entry and lose every position (`Sp`); this reads the
//! first key, then hands the rest of the same mapping — first key replayed — to the derived
//! reader of [`RawCheck`] or [`RawInclude`], so positions and error messages stay the
//! parser's own.

use crate::pack::raw::{RawCheck, RawEntry, RawInclude};
use serde::de::value::{MapAccessDeserializer, StringDeserializer};
use serde::de::{DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, de};
use std::fmt;

impl<'de> Deserialize<'de> for RawEntry {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(EntryVisitor)
    }
}

struct EntryVisitor;

impl<'de> Visitor<'de> for EntryVisitor {
    type Value = RawEntry;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a check (`id: ...`) or an include (`include: ...`)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawEntry, A::Error> {
        let Some(first) = map.next_key::<String>()? else {
            return Err(de::Error::missing_field("id"));
        };
        let is_include = first == "include";
        let rest = MapAccessDeserializer::new(Replay {
            first: Some(first),
            map,
        });
        if is_include {
            RawInclude::deserialize(rest).map(RawEntry::Include)
        } else {
            RawCheck::deserialize(rest).map(|c| RawEntry::Check(Box::new(c)))
        }
    }
}

/// The entry's mapping with its first key given back once.
struct Replay<A> {
    first: Option<String>,
    map: A,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Replay<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        match self.first.take() {
            Some(key) => seed
                .deserialize(StringDeserializer::<A::Error>::new(key))
                .map(Some),
            None => self.map.next_key_seed(seed),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.map.next_value_seed(seed)
    }
}
