//! `Sp<T>`: a value read from YAML with the line and column where it was written.

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Deserializer};
use std::borrow::Cow;

/// A value with its 1-based position in the pack file (0 when unknown).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Sp<T> {
    /// The value.
    pub value: T,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub col: u32,
}

impl<T> Sp<T> {
    /// A value without a known position (built in code, not read from a file).
    pub fn unplaced(value: T) -> Self {
        Sp {
            value,
            line: 0,
            col: 0,
        }
    }

    /// Another value at this value's position (for a field that has no position of its own).
    pub fn with_value<U>(&self, value: U) -> Sp<U> {
        Sp {
            value,
            line: self.line,
            col: self.col,
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Sp<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = serde_saphyr::Spanned::<T>::deserialize(deserializer)?;
        Ok(Sp {
            value: spanned.value,
            line: u32::try_from(spanned.referenced.line()).unwrap_or(0),
            col: u32::try_from(spanned.referenced.column()).unwrap_or(0),
        })
    }
}

impl<T: JsonSchema> JsonSchema for Sp<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }

    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }

    fn schema_id() -> Cow<'static, str> {
        T::schema_id()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        T::json_schema(generator)
    }
}
