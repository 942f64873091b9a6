//! Option-parsing primitives: each widget declares its typed options struct once, in its own
//! `options.rs`, with [`widget_options!`].
//!
//! From that one declaration come the defaults, attribute and JS-config parsing (with one clear
//! console message per bad value), and [`OptSpec`] — the table the README's option reference and
//! the loader's attribute list are generated from (`cargo xtask`), outside the wasm.

use crate::dom;
use alloc::string::String;
#[cfg(not(target_arch = "wasm32"))]
use alloc::vec::Vec;

/// A type an option can have: how to parse it from an attribute and how to describe it.
/// (The descriptions serve the build tools only; the wasm drops them.)
#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
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
    /// Sets the option `NAMES[index]` from its attribute text; `Err(allowed)` if the value is
    /// not allowed. (By index: the wasm compares no option names but the attributes'.)
    fn set_at(&mut self, index: usize, raw: &str) -> Result<(), &'static str>;
    /// Sets option `name` from its attribute text; `Err(allowed)` if the value is not allowed.
    /// (For the native tests: the widgets read their attributes by index, through [`read`].)
    #[cfg(all(test, not(target_arch = "wasm32")))]
    fn set(&mut self, name: &str, raw: &str) -> Result<(), &'static str> {
        match Self::NAMES.iter().position(|n| *n == name) {
            Some(index) => self.set_at(index, raw),
            None => Err("one of the documented options"),
        }
    }
    /// The options table (for the build tools; not compiled into the wasm).
    #[cfg(not(target_arch = "wasm32"))]
    fn spec() -> Vec<OptSpec>;
}

/// Declares a widget's options struct once; see the module docs for what it derives.
#[macro_export]
macro_rules! widget_options {
    (
        $(#[$meta:meta])*
        pub struct $name:ident for $widget:literal {
            $( $(#[doc = $doc:literal])* $field:ident $(as $attr:literal)? : $ty:ty = $default:expr ),* $(,)?
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
            const NAMES: &'static [&'static str] = &[$($crate::option_name!($field $($attr)?)),*];

            fn set_at(&mut self, index: usize, raw: &str) -> Result<(), &'static str> {
                use $crate::config::OptValue;
                // The fields, numbered in declaration order (the order of NAMES).
                #[allow(non_camel_case_types, dead_code)]
                enum Field { $($field),* }
                $( if index == Field::$field as usize {
                    self.$field = <$ty as OptValue>::parse(raw).ok_or(<$ty as OptValue>::ALLOWED)?;
                    return Ok(());
                } )*
                Err("one of the documented options")
            }

            #[cfg(not(target_arch = "wasm32"))]
            fn spec() -> Vec<$crate::config::OptSpec> {
                use $crate::config::OptValue;
                let defaults = Self::default();
                vec![$( $crate::config::OptSpec {
                    name: $crate::option_name!($field $($attr)?),
                    ty: <$ty as OptValue>::TYPE,
                    default: defaults.$field.show(),
                    allowed: <$ty as OptValue>::ALLOWED,
                    doc: concat!($($doc),*).trim_ascii(),
                } ),*]
            }
        }
    };
}

/// An option's attribute name: the field's, or the one given with `field as "attr-name"` (for
/// names an identifier cannot spell, such as `new-minutes`).
#[doc(hidden)]
#[macro_export]
macro_rules! option_name {
    ($field:ident) => {
        stringify!($field)
    };
    ($field:ident $attr:literal) => {
        $attr
    };
}

/// Reads a widget's options from its element's attributes, `NAME` or `data-NAME` (CMSs that
/// strip unknown tags keep `<div data-bangtin="rating" data-article="…">`; the JS API writes its
/// config into the attributes). A bad value keeps the default and logs one message naming
/// widget, option, value and what is allowed.
pub fn read<O: Options>(element: &web_sys::Element) -> O {
    let mut options = O::default();
    read_into(element, O::WIDGET, O::NAMES, &mut |index, raw| {
        options.set_at(index, raw)
    });
    options
}

/// [`read`]'s loop, compiled once for every widget: only `set` (its [`Options::set_at`]) is the
/// widget's own.
#[inline(never)]
fn read_into(
    element: &web_sys::Element,
    widget: &str,
    names: &[&str],
    set: &mut dyn FnMut(usize, &str) -> Result<(), &'static str>,
) {
    for (index, name) in names.iter().enumerate() {
        let Some(raw) = attribute(element, name) else {
            continue;
        };
        if let Err(allowed) = set(index, raw.trim()) {
            dom::warn(&[
                widget,
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

/// The option attributes of `element` as written (see [`read`]), to tell whether any changed.
pub fn attributes(element: &web_sys::Element, names: &[&str]) -> alloc::vec::Vec<Option<String>> {
    names.iter().map(|name| attribute(element, name)).collect()
}

/// Attribute `name`, else `data-name` (not generic: one copy in the wasm).
pub fn attribute(element: &web_sys::Element, name: &str) -> Option<String> {
    element
        .get_attribute(name)
        .or_else(|| element.get_attribute(&["data-", name].concat()))
}

/// Properties every widget's options keep, whatever text a page writes in an attribute; each
/// widget's `options.rs` runs them over its own options with proptest.
#[cfg(all(test, not(target_arch = "wasm32")))]
pub mod props {
    use super::Options;
    use alloc::string::String;
    use proptest::prelude::*;

    /// Attribute text a page may write: anything (odd Unicode, controls, spaces), and values
    /// close to the allowed ones.
    pub fn attribute_text() -> impl Strategy<Value = String> {
        prop_oneof![
            any::<String>(),
            "[ \\t]{0,2}(stars|thumbs|newest|liked|vi|en|vi-VN|EN|xa-hoi/cau)[ \\t]{0,2}",
            "\\PC{0,600}",
        ]
    }

    /// Setting option `name` from `raw` is all or nothing: refused, the options are exactly as
    /// before and the answer says what is allowed; taken, setting the same text again changes
    /// nothing more. An unknown name is always refused.
    pub fn set_is_all_or_nothing<O>(start: &O, name: &str, raw: &str) -> Result<(), TestCaseError>
    where
        O: Options + Clone + PartialEq + core::fmt::Debug,
    {
        let mut options = start.clone();
        match options.set(name, raw) {
            Err(allowed) => {
                prop_assert_eq!(&options, start, "a refused value changed something");
                prop_assert!(!allowed.is_empty());
            }
            Ok(()) => {
                prop_assert!(O::NAMES.contains(&name), "an unknown option was taken");
                let once = options.clone();
                prop_assert_eq!(options.set(name, raw), Ok(()));
                prop_assert_eq!(options, once);
            }
        }
        Ok(())
    }
}
