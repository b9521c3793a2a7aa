//! Path selection straight from the typed snapshot, without converting it to JSON first.
//!
//! The fact matcher's paths are walked *while serializing*: a field that is not on the path
//! is never serialized, and only the values found at the end of the path are converted to
//! `serde_json::Value`. Converting whole sections (hundreds of packages) for each candidate
//! cost milliseconds per report; this keeps a fact check in the microseconds.
//! The result is the same as `serde_json::to_value(snapshot)` followed by a JSON walk.

use serde::Serialize;
use serde::ser;
use serde_json::Value;
use std::fmt;

/// A step of a fact path.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Segment {
    Key(String),
    Index(usize),
    Every,
    Filter(String, String),
}

/// Appends to `out` every value found at `path` inside `value`.
pub(crate) fn select<T: Serialize + ?Sized>(value: &T, path: &[Segment], out: &mut Vec<Value>) {
    if path.is_empty() {
        if let Ok(v) = serde_json::to_value(value) {
            out.push(v);
        }
        return;
    }
    let _ = value.serialize(Walker { path, out });
}

/// Whether the field `key` of `value` has the text `want` (strings, numbers, booleans).
/// Allocates nothing for string fields: filters scan long lists (hundreds of packages).
fn field_is<T: Serialize + ?Sized>(value: &T, key: &str, want: &str) -> bool {
    value.serialize(FieldIs { key, want }).unwrap_or(false)
}

/// Serializer answering "does this struct's field `key` equal `want`?".
struct FieldIs<'k> {
    key: &'k str,
    want: &'k str,
}

struct FieldIsStruct<'k> {
    key: &'k str,
    want: &'k str,
    hit: bool,
}

impl ser::SerializeStruct for FieldIsStruct<'_> {
    type Ok = bool;
    type Error = Stop;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Stop> {
        if !self.hit && key == self.key {
            self.hit = value.serialize(ScalarIs(self.want)).unwrap_or(false);
        }
        Ok(())
    }
    fn end(self) -> Result<bool, Stop> {
        Ok(self.hit)
    }
}

/// Serializer answering "is this scalar's text `want`?".
struct ScalarIs<'w>(&'w str);

macro_rules! scalar_text {
    ($($method:ident: $ty:ty),*) => {
        $(fn $method(self, v: $ty) -> Result<bool, Stop> {
            Ok(v.to_string() == self.0)
        })*
    };
}

macro_rules! nothing {
    ($ok:ty; $($method:ident),*) => {
        $(fn $method(self) -> Result<$ok, Stop> {
            Ok(false)
        })*
    };
}

macro_rules! ignore_scalars {
    ($($method:ident: $ty:ty),*) => {
        $(fn $method(self, _: $ty) -> Result<bool, Stop> {
            Ok(false)
        })*
    };
}

/// The question serializers only look at scalars and structs: a list or a map stops them.
macro_rules! refuse_lists_and_maps {
    () => {
        fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Stop> {
            Err(Stop)
        }
        fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Stop> {
            Err(Stop)
        }
        fn serialize_tuple_struct(
            self,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleStruct, Stop> {
            Err(Stop)
        }
        fn serialize_tuple_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleVariant, Stop> {
            Err(Stop)
        }
        fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Stop> {
            Err(Stop)
        }
        fn serialize_struct_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeStructVariant, Stop> {
            Err(Stop)
        }
    };
}

impl ser::Serializer for ScalarIs<'_> {
    type Ok = bool;
    type Error = Stop;
    type SerializeSeq = ser::Impossible<bool, Stop>;
    type SerializeTuple = ser::Impossible<bool, Stop>;
    type SerializeTupleStruct = ser::Impossible<bool, Stop>;
    type SerializeTupleVariant = ser::Impossible<bool, Stop>;
    type SerializeMap = ser::Impossible<bool, Stop>;
    type SerializeStruct = ser::Impossible<bool, Stop>;
    type SerializeStructVariant = ser::Impossible<bool, Stop>;

    scalar_text!(serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
        serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64, serialize_f32: f32,
        serialize_f64: f64, serialize_char: char);
    nothing!(bool; serialize_none, serialize_unit);

    fn serialize_str(self, v: &str) -> Result<bool, Stop> {
        Ok(v == self.0)
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<bool, Stop> {
        Ok(false)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<bool, Stop> {
        value.serialize(self)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<bool, Stop> {
        Ok(false)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<bool, Stop> {
        Ok(variant == self.0)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<bool, Stop> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<bool, Stop> {
        Ok(false)
    }
    refuse_lists_and_maps!();
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Stop> {
        Err(Stop)
    }
}

impl<'k> ser::Serializer for FieldIs<'k> {
    type Ok = bool;
    type Error = Stop;
    type SerializeSeq = ser::Impossible<bool, Stop>;
    type SerializeTuple = ser::Impossible<bool, Stop>;
    type SerializeTupleStruct = ser::Impossible<bool, Stop>;
    type SerializeTupleVariant = ser::Impossible<bool, Stop>;
    type SerializeMap = ser::Impossible<bool, Stop>;
    type SerializeStruct = FieldIsStruct<'k>;
    type SerializeStructVariant = ser::Impossible<bool, Stop>;

    nothing!(bool; serialize_none, serialize_unit);

    ignore_scalars!(serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
        serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64, serialize_f32: f32,
        serialize_f64: f64, serialize_char: char);
    fn serialize_str(self, _: &str) -> Result<bool, Stop> {
        Ok(false)
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<bool, Stop> {
        Ok(false)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<bool, Stop> {
        value.serialize(self)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<bool, Stop> {
        Ok(false)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
    ) -> Result<bool, Stop> {
        Ok(false)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<bool, Stop> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<bool, Stop> {
        Ok(false)
    }
    refuse_lists_and_maps!();
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<FieldIsStruct<'k>, Stop> {
        Ok(FieldIsStruct {
            key: self.key,
            want: self.want,
            hit: false,
        })
    }
}

/// Serialization stopped on purpose or failed; either way nothing more is selected.
#[derive(Debug)]
pub(crate) struct Stop;

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("selection stopped")
    }
}

impl std::error::Error for Stop {}

impl ser::Error for Stop {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Stop
    }
}

struct Walker<'p, 'o> {
    path: &'p [Segment],
    out: &'o mut Vec<Value>,
}

struct Compound<'p, 'o> {
    path: &'p [Segment],
    out: &'o mut Vec<Value>,
    index: usize,
    key: Option<String>,
}

impl Compound<'_, '_> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) {
        let i = self.index;
        self.index += 1;
        let (first, rest) = match self.path.split_first() {
            Some(x) => x,
            None => return,
        };
        match first {
            Segment::Index(n) if *n == i => select(value, rest, self.out),
            Segment::Every => select(value, rest, self.out),
            Segment::Filter(k, want) if field_is(value, k, want) => select(value, rest, self.out),
            _ => {}
        }
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) {
        let (first, rest) = match self.path.split_first() {
            Some(x) => x,
            None => return,
        };
        match first {
            Segment::Key(k) if k == key => select(value, rest, self.out),
            Segment::Every => select(value, rest, self.out),
            _ => {}
        }
    }
}

impl ser::SerializeSeq for Compound<'_, '_> {
    type Ok = ();
    type Error = Stop;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
        self.element(value);
        Ok(())
    }
    fn end(self) -> Result<(), Stop> {
        Ok(())
    }
}

impl ser::SerializeTuple for Compound<'_, '_> {
    type Ok = ();
    type Error = Stop;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
        self.element(value);
        Ok(())
    }
    fn end(self) -> Result<(), Stop> {
        Ok(())
    }
}

impl ser::SerializeTupleStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Stop;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
        self.element(value);
        Ok(())
    }
    fn end(self) -> Result<(), Stop> {
        Ok(())
    }
}

impl ser::SerializeTupleVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = Stop;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
        self.element(value);
        Ok(())
    }
    fn end(self) -> Result<(), Stop> {
        Ok(())
    }
}

impl ser::SerializeStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Stop;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Stop> {
        self.field(key, value);
        Ok(())
    }
    fn end(self) -> Result<(), Stop> {
        Ok(())
    }
}

impl ser::SerializeStructVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = Stop;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Stop> {
        self.field(key, value);
        Ok(())
    }
    fn end(self) -> Result<(), Stop> {
        Ok(())
    }
}

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = Stop;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Stop> {
        self.key = match serde_json::to_value(key) {
            Ok(Value::String(s)) => Some(s),
            Ok(other) => Some(other.to_string()),
            Err(_) => None,
        };
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
        if let Some(key) = self.key.take() {
            self.field(&key, value);
        }
        Ok(())
    }
    fn end(self) -> Result<(), Stop> {
        Ok(())
    }
}

impl<'p, 'o> ser::Serializer for Walker<'p, 'o> {
    type Ok = ();
    type Error = Stop;
    type SerializeSeq = Compound<'p, 'o>;
    type SerializeTuple = Compound<'p, 'o>;
    type SerializeTupleStruct = Compound<'p, 'o>;
    type SerializeTupleVariant = Compound<'p, 'o>;
    type SerializeMap = Compound<'p, 'o>;
    type SerializeStruct = Compound<'p, 'o>;
    type SerializeStructVariant = Compound<'p, 'o>;

    // Scalars have no inside: a non-empty path finds nothing in them.
    fn serialize_bool(self, _: bool) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_i8(self, _: i8) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_i16(self, _: i16) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_i32(self, _: i32) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_i64(self, _: i64) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_u8(self, _: u8) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_u16(self, _: u16) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_u32(self, _: u32) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_u64(self, _: u64) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_f32(self, _: f32) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_f64(self, _: f64) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_char(self, _: char) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_str(self, _: &str) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_none(self) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Stop> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Stop> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Stop> {
        let mut c = Compound {
            path: self.path,
            out: self.out,
            index: 0,
            key: None,
        };
        c.field(variant, value);
        Ok(())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'p, 'o>, Stop> {
        Ok(Compound {
            path: self.path,
            out: self.out,
            index: 0,
            key: None,
        })
    }
    fn serialize_tuple(self, _: usize) -> Result<Compound<'p, 'o>, Stop> {
        Ok(Compound {
            path: self.path,
            out: self.out,
            index: 0,
            key: None,
        })
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Compound<'p, 'o>, Stop> {
        Ok(Compound {
            path: self.path,
            out: self.out,
            index: 0,
            key: None,
        })
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Compound<'p, 'o>, Stop> {
        // Externally tagged tuple variants are rare in snapshots; select inside the tuple.
        Ok(Compound {
            path: self.path,
            out: self.out,
            index: 0,
            key: None,
        })
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'p, 'o>, Stop> {
        Ok(Compound {
            path: self.path,
            out: self.out,
            index: 0,
            key: None,
        })
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Compound<'p, 'o>, Stop> {
        Ok(Compound {
            path: self.path,
            out: self.out,
            index: 0,
            key: None,
        })
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Compound<'p, 'o>, Stop> {
        Ok(Compound {
            path: self.path,
            out: self.out,
            index: 0,
            key: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json_walk(value: &Value, path: &[Segment], out: &mut Vec<Value>) {
        let Some((first, rest)) = path.split_first() else {
            out.push(value.clone());
            return;
        };
        match (first, value) {
            (Segment::Key(k), Value::Object(m)) => {
                if let Some(v) = m.get(k) {
                    json_walk(v, rest, out);
                }
            }
            (Segment::Index(i), Value::Array(a)) => {
                if let Some(v) = a.get(*i) {
                    json_walk(v, rest, out);
                }
            }
            (Segment::Every, Value::Array(a)) => a.iter().for_each(|v| json_walk(v, rest, out)),
            (Segment::Every, Value::Object(m)) => m.values().for_each(|v| json_walk(v, rest, out)),
            (Segment::Filter(k, want), Value::Array(a)) => {
                for v in a {
                    let hit = match v.get(k) {
                        Some(Value::String(s)) => s == want,
                        Some(Value::Number(n)) => n.to_string() == *want,
                        Some(Value::Bool(b)) => b.to_string() == *want,
                        _ => false,
                    };
                    if hit {
                        json_walk(v, rest, out);
                    }
                }
            }
            _ => {}
        }
    }

    #[test]
    fn agrees_with_a_walk_over_the_full_json() {
        let snapshot = crate::kinds::testing::lab();
        let full = serde_json::to_value(&snapshot).expect("json");
        let key = |s: &str| Segment::Key(s.to_owned());
        let filter = |k: &str, v: &str| Segment::Filter(k.to_owned(), v.to_owned());
        let paths = vec![
            vec![key("sections"), key("users"), key("status")],
            vec![
                key("sections"),
                key("users"),
                key("data"),
                filter("name", "alice"),
                key("groups"),
                Segment::Every,
            ],
            vec![
                key("sections"),
                key("users"),
                key("data"),
                filter("uid", "0"),
                key("name"),
            ],
            vec![
                key("sections"),
                key("packages"),
                key("data"),
                key("installed"),
                Segment::Index(3),
            ],
            vec![
                key("sections"),
                key("sshd"),
                key("data"),
                key("settings"),
                key("permitrootlogin"),
                Segment::Index(0),
            ],
            vec![
                key("sections"),
                key("sshd"),
                key("data"),
                key("settings"),
                Segment::Every,
            ],
            vec![key("sections"), key("services"), key("reason")],
            vec![key("host"), key("os")],
            vec![
                key("sections"),
                key("firewall"),
                key("data"),
                key("chains"),
                Segment::Every,
                key("rules"),
                Segment::Every,
                key("dports"),
            ],
            vec![key("sections"), key("nope")],
        ];
        for path in paths {
            let (mut a, mut b) = (Vec::new(), Vec::new());
            select(&snapshot, &path, &mut a);
            json_walk(&full, &path, &mut b);
            assert_eq!(a, b, "{path:?}");
        }
    }
}
