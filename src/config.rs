//! Widget options: one typed struct per widget, declared once with [`widget_options!`].
//!
//! From that one declaration come the defaults, attribute and JS-config parsing (with one clear
//! console message per bad value), and [`OptSpec`] — the table the README's option reference is
//! generated from (`cargo xtask docs`) and that the JS API and a configurator can read.

use crate::dom;
use wasm_bindgen::{JsCast, JsValue};

/// A type an option can have: how to parse it from an attribute and how to describe it.
pub trait OptValue: Sized {
    /// What the docs call the type.
    const TYPE: &'static str;
    /// What is allowed, as the error message and the docs say it: `"stars" or "thumbs"`.
    const ALLOWED: &'static str;
    /// Parses an attribute value; `None` if it is not allowed.
    fn parse(raw: &str) -> Option<Self>;
    /// The value as written in an attribute (used for documenting defaults).
    fn show(&self) -> &'static str;
}

impl<T: OptValue> OptValue for Option<T> {
    const TYPE: &'static str = T::TYPE;
    const ALLOWED: &'static str = T::ALLOWED;
    fn parse(raw: &str) -> Option<Self> {
        T::parse(raw).map(Some)
    }
    fn show(&self) -> &'static str {
        match self {
            Some(value) => value.show(),
            None => "",
        }
    }
}

impl OptValue for bangtin_api::Scale {
    const TYPE: &'static str = "enum";
    const ALLOWED: &'static str = "\"stars\" or \"thumbs\"";
    fn parse(raw: &str) -> Option<Self> {
        bangtin_api::Scale::parse(raw)
    }
    fn show(&self) -> &'static str {
        self.as_str()
    }
}

/// An article key, checked with the same rule the server applies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArticleKey(pub String);

impl OptValue for ArticleKey {
    const TYPE: &'static str = "string";
    const ALLOWED: &'static str =
        "1 to 512 characters without control characters or surrounding spaces";
    fn parse(raw: &str) -> Option<Self> {
        bangtin_api::validate_article(raw)
            .ok()
            .map(|()| ArticleKey(raw.into()))
    }
    fn show(&self) -> &'static str {
        ""
    }
}

/// One row of an options table: everything the docs and a configurator need to know.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OptSpec {
    /// Attribute name, and key in the JS config object.
    pub name: &'static str,
    pub ty: &'static str,
    /// The default as an attribute value; empty when the default is computed (see `doc`).
    pub default: &'static str,
    pub allowed: &'static str,
    pub doc: &'static str,
}

/// Implemented by [`widget_options!`] for each widget's options struct.
pub trait Options: Default {
    /// The widget's name, as in `<bangtin-NAME>` and in console messages.
    const WIDGET: &'static str;
    /// Every option name, in declaration order.
    const NAMES: &'static [&'static str];
    /// Sets option `name` from its attribute text; `Err(allowed)` if the value is not allowed.
    fn set(&mut self, name: &str, raw: &str) -> Result<(), &'static str>;
    /// The options table.
    fn spec() -> Vec<OptSpec>;
}

/// Declares a widget's options struct once; see the module docs for what it derives.
#[macro_export]
macro_rules! widget_options {
    (
        $(#[$meta:meta])*
        pub struct $name:ident for $widget:literal {
            $( $(#[doc = $doc:literal])* $field:ident : $ty:ty = $default:expr ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq)]
        pub struct $name { $( $(#[doc = $doc])* pub $field: $ty, )* }

        impl Default for $name {
            fn default() -> Self {
                Self { $( $field: $default, )* }
            }
        }

        impl $crate::config::Options for $name {
            const WIDGET: &'static str = $widget;
            const NAMES: &'static [&'static str] = &[$(stringify!($field)),*];

            fn set(&mut self, name: &str, raw: &str) -> Result<(), &'static str> {
                use $crate::config::OptValue;
                match name {
                    $( stringify!($field) => {
                        self.$field = <$ty as OptValue>::parse(raw).ok_or(<$ty as OptValue>::ALLOWED)?;
                        Ok(())
                    } )*
                    _ => Err("one of the documented options"),
                }
            }

            fn spec() -> Vec<$crate::config::OptSpec> {
                use $crate::config::OptValue;
                let defaults = Self::default();
                vec![$( $crate::config::OptSpec {
                    name: stringify!($field),
                    ty: <$ty as OptValue>::TYPE,
                    default: defaults.$field.show(),
                    allowed: <$ty as OptValue>::ALLOWED,
                    doc: concat!($($doc),*).trim_ascii(),
                } ),*]
            }
        }
    };
}

/// Reads a widget's options: the JS `config` object wins over the element's attributes. A bad
/// value keeps the default and logs one message naming widget, option, value and what is allowed.
pub fn read<O: Options>(element: &web_sys::Element, config: &JsValue) -> O {
    let mut options = O::default();
    if let Some(object) = config.dyn_ref::<js_sys::Object>() {
        for key in js_sys::Object::keys(object).iter() {
            let key = key.as_string().unwrap_or_default();
            if !O::NAMES.contains(&key.as_str()) {
                dom::warn(&[O::WIDGET, ": unknown option \"", &key, "\""]);
            }
        }
    }
    for name in O::NAMES {
        // `data-NAME` too: CMSs that strip unknown tags keep `<div data-bangtin="rating" data-article="…">`.
        let raw = config_value(config, name)
            .or_else(|| element.get_attribute(name))
            .or_else(|| element.get_attribute(&["data-", name].concat()));
        if let Some(raw) = raw {
            if let Err(allowed) = options.set(name, raw.trim()) {
                dom::warn(&[
                    O::WIDGET,
                    ": ",
                    name,
                    " must be ",
                    allowed,
                    ", got \"",
                    &raw,
                    "\"",
                ]);
            }
        }
    }
    options
}

/// A JS config entry as attribute text: strings as they are, numbers and booleans written out.
fn config_value(config: &JsValue, name: &str) -> Option<String> {
    if !config.is_object() {
        return None;
    }
    let value = js_sys::Reflect::get(config, &JsValue::from_str(name)).ok()?;
    if value.is_undefined() || value.is_null() {
        None
    } else if let Some(text) = value.as_string() {
        Some(text)
    } else {
        js_sys::JSON::stringify(&value).ok()?.as_string()
    }
}

/// Renders an options table as the Markdown the README carries.
pub fn markdown_table(spec: &[OptSpec]) -> String {
    let mut out = String::from("| Attribute | Type | Default | Allowed | Description |\n");
    out.push_str("|---|---|---|---|---|\n");
    for row in spec {
        let default = if row.default.is_empty() {
            "—".to_string()
        } else {
            ["`", row.default, "`"].concat()
        };
        let cells = [
            ["`", row.name, "`"].concat(),
            row.ty.to_string(),
            default,
            row.allowed.replace('|', "\\|"),
            row.doc.replace('\n', " ").replace('|', "\\|"),
        ];
        out.push_str("| ");
        out.push_str(&cells.join(" | "));
        out.push_str(" |\n");
    }
    out
}
