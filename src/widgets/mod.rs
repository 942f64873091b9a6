//! The widgets, one folder each; the one list of them ([`KINDS`]); the trait each implements
//! ([`Widget`]); and the registry of mounted ones.
//!
//! A mounted widget lives in the registry under its handle. Its listeners and async tasks refer
//! to it through a [`Me`] (the handle, typed), so unmounting (dropping it) releases everything
//! and late answers find nothing. Messages are queued per widget and delivered in order, even
//! when one arrives while the widget is busy handling another.

#[cfg(feature = "countdown")]
mod countdown;
#[cfg(feature = "feedback")]
mod feedback;
#[cfg(feature = "rating")]
mod rating;
#[cfg(all(test, target_arch = "wasm32"))]
mod test_dom;
#[cfg(feature = "ticker")]
mod ticker;

use crate::config::{self, Options};
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::local::{mutable, shared};
use alloc::boxed::Box;
use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;
use core::any::Any;
use core::cell::{Cell, RefCell};
use core::marker::PhantomData;
use wasm_bindgen::JsValue;
use web_sys::HtmlElement;

/// The one list of widgets. The wasm mounts from it; `cargo xtask` reads it (through
/// [`crate::catalog`]) to write the loader's element list and the README's option tables.
/// A new widget adds its folder and one line here (plus its cargo feature).
pub const KINDS: &[Kind] = &[
    #[cfg(feature = "rating")]
    Kind::of::<rating::Rating>(),
    #[cfg(feature = "feedback")]
    Kind::of::<feedback::Feedback>(),
    #[cfg(feature = "ticker")]
    Kind::of::<ticker::Ticker>(),
    #[cfg(feature = "countdown")]
    Kind::of::<countdown::Countdown>(),
];

/// What every widget is.
pub trait Widget: Sized + 'static {
    /// As in `<bangtin-NAME>` and `data-bangtin="NAME"`.
    const NAME: &'static str;
    /// Its options, declared with [`crate::widget_options!`].
    type Options: Options + Clone + PartialEq + 'static;
    /// What can happen to it.
    type Msg: 'static;
    /// Renders into `host`'s shadow root and starts loading. `me` is how its listeners and tasks
    /// reach it later.
    fn mount(
        me: Me<Self>,
        host: &HtmlElement,
        options: Self::Options,
        ctx: &Context,
    ) -> Result<Self>;
    /// Handles one message.
    fn update(&mut self, msg: Self::Msg);
}

/// What the loader tells every widget: where the server is, the page's language, and the
/// widget's share of the loader's boot request (a promise), if it made one.
#[derive(Clone, Debug)]
pub struct Context {
    /// Base URL of the bangtin server, without a trailing slash.
    pub api: String,
    pub lang: Lang,
    /// A promise of the widget's first data, or `undefined`.
    pub first: JsValue,
}

impl PartialEq for Context {
    /// Two contexts are the same place: the first data is used once, at mount.
    fn eq(&self, other: &Context) -> bool {
        self.api == other.api && self.lang == other.lang
    }
}

impl Context {
    /// Reads `{api, lang}` from the loader; a missing `api` means this page's origin.
    pub fn from_js(value: &JsValue) -> Context {
        let api = crate::api::text(value, "api")
            .or_else(|| {
                crate::dom::get_text(
                    &crate::dom::get(&crate::dom::window(), "location"),
                    "origin",
                )
            })
            .unwrap_or_default();
        // The loader's `data-lang`, else the page's `<html lang>`, else Vietnamese.
        let lang = crate::api::text(value, "lang")
            .or_else(|| {
                crate::dom::document()
                    .document_element()
                    .and_then(|html| crate::dom::get_text(&html, "lang"))
            })
            .and_then(|tag| Lang::from_tag(&tag))
            .unwrap_or_default();
        Context {
            api: api.trim_end_matches('/').into(),
            lang,
            first: crate::dom::get(value, "first"),
        }
    }
}

/// How a [`Kind`] mounts: handle, generation, host, context.
type MountFn = fn(u32, u32, &HtmlElement, &Context) -> Result<Box<dyn AnyWidget>>;

/// One entry of [`KINDS`].
pub struct Kind {
    pub name: &'static str,
    /// Its option names: what the registry compares to see whether anything changed.
    names: &'static [&'static str],
    mount: MountFn,
    /// The options table, for the README.
    #[cfg(not(target_arch = "wasm32"))]
    pub spec: fn() -> Vec<config::OptSpec>,
}

impl Kind {
    const fn of<W: Widget>() -> Kind {
        Kind {
            name: W::NAME,
            names: <W::Options as Options>::NAMES,
            mount: mount_as::<W>,
            #[cfg(not(target_arch = "wasm32"))]
            spec: <W::Options as Options>::spec,
        }
    }
}

/// Reads `W`'s options from `host` and mounts it: the one piece of the registry that is
/// compiled once per widget. Everything else works on [`AnyWidget`]s, so that a widget costs
/// the bundle its own code and little more.
fn mount_as<W: Widget>(
    handle: u32,
    generation: u32,
    host: &HtmlElement,
    ctx: &Context,
) -> Result<Box<dyn AnyWidget>> {
    let me = Me {
        handle,
        generation,
        widget: PhantomData,
    };
    let options = config::read::<W::Options>(host);
    Ok(Box::new(W::mount(me, host, options, ctx)?))
}

/// A mounted widget, whatever its kind: it takes its own messages.
trait AnyWidget {
    fn take(&mut self, msg: Box<dyn Any>);
}

impl<W: Widget> AnyWidget for W {
    fn take(&mut self, msg: Box<dyn Any>) {
        if let Ok(msg) = msg.downcast::<W::Msg>() {
            self.update(*msg);
        }
    }
}

/// A widget's way back to itself: its handle, typed. Copy it into listeners and tasks. A widget
/// rebuilt under the same handle (new options) is a new generation: messages meant for the old
/// one (a late answer for the previous article, say) do not reach it.
pub struct Me<W> {
    handle: u32,
    generation: u32,
    widget: PhantomData<fn() -> W>,
}

impl<W> Clone for Me<W> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<W> Copy for Me<W> {}

impl<W: Widget> Me<W> {
    /// Whether the widget is still mounted.
    pub fn alive(self) -> bool {
        slot_of(self.handle, self.generation).is_some()
    }

    /// Delivers `msg` to the widget, if it is still mounted. Never dropped while it is: a message
    /// sent during another's handling is queued and handled right after it.
    pub fn send(self, msg: W::Msg) {
        deliver(self.handle, self.generation, Box::new(msg));
    }
}

/// The slot behind `handle`, if it still holds that generation.
fn slot_of(handle: u32, generation: u32) -> Option<Rc<Slot>> {
    find(handle).filter(|slot| slot.generation.get() == generation)
}

/// [`Me::send`]'s body, once for every widget.
fn deliver(handle: u32, generation: u32, msg: Box<dyn Any>) {
    if let Some(slot) = slot_of(handle, generation) {
        mutable(&slot.inbox).push(msg);
        slot.drain();
    }
}

/// The registry's cell for one widget.
struct Slot {
    kind: &'static Kind,
    handle: u32,
    generation: Cell<u32>,
    host: HtmlElement,
    /// The option attributes the widget was built with, as written.
    attrs: RefCell<Vec<Option<String>>>,
    ctx: RefCell<Context>,
    widget: RefCell<Option<Box<dyn AnyWidget>>>,
    inbox: RefCell<Vec<Box<dyn Any>>>,
}

impl Slot {
    /// Handles queued messages in order, unless a handler further up the stack is already
    /// doing so (it picks them up when it returns).
    fn drain(&self) {
        loop {
            let Ok(mut widget) = self.widget.try_borrow_mut() else {
                return;
            };
            let Some(widget) = widget.as_mut() else {
                return;
            };
            // Messages sent while these are handled land in the emptied inbox: the next round.
            let batch = self
                .inbox
                .try_borrow_mut()
                .map(|mut inbox| core::mem::take(&mut *inbox))
                .unwrap_or_default();
            if batch.is_empty() {
                return;
            }
            for msg in batch {
                widget.take(msg);
            }
        }
    }

    fn build(&self) -> Result<()> {
        self.generation.set(self.generation.get().wrapping_add(1));
        let widget = (self.kind.mount)(
            self.handle,
            self.generation.get(),
            &self.host,
            &shared(&self.ctx),
        )?;
        *mutable(&self.widget) = Some(widget);
        self.drain();
        Ok(())
    }

    /// Applies changed option attributes (or context): the widget is rebuilt under the same
    /// handle; unchanged ones change nothing.
    fn remount(&self, ctx: &Context) -> Result<()> {
        let attrs = config::attributes(&self.host, self.kind.names);
        if *shared(&self.attrs) == attrs && *shared(&self.ctx) == *ctx {
            return Ok(());
        }
        *mutable(&self.attrs) = attrs;
        *mutable(&self.ctx) = ctx.clone();
        // Dropped first (it restores the fallback), then built afresh under the same handle.
        let old = mutable(&self.widget).take();
        drop(old);
        mutable(&self.inbox).clear();
        self.build()
    }
}

fn mount_new(kind: &'static Kind, handle: u32, host: &HtmlElement, ctx: &Context) -> Result<()> {
    let slot = Rc::new(Slot {
        kind,
        handle,
        generation: Cell::new(0),
        host: host.clone(),
        attrs: RefCell::new(config::attributes(host, kind.names)),
        ctx: RefCell::new(ctx.clone()),
        widget: RefCell::new(None),
        inbox: RefCell::new(Vec::new()),
    });
    // Registered before it is built, so that messages sent while mounting are queued, not lost.
    LIVE.with_borrow_mut(|entries| entries.push((handle, Rc::clone(&slot))));
    slot.build()
}

crate::local::local! {
    static LIVE: RefCell<Vec<(u32, Rc<Slot>)>> = RefCell::new(Vec::new());
    static NEXT: Cell<u32> = Cell::new(1);
}

fn find(handle: u32) -> Option<Rc<Slot>> {
    LIVE.with_borrow(|entries| {
        entries
            .iter()
            .find(|(h, _)| *h == handle)
            .map(|(_, slot)| Rc::clone(slot))
    })
}

/// Mounts widget `kind` into `element` (see [`crate::mount`]). Mounting an element that already
/// holds a widget of that kind applies the new options to it and returns the same handle. A
/// widget that fails to mount leaves the element's fallback content showing.
pub fn mount(element: HtmlElement, kind: &str, context: &JsValue) -> Result<u32> {
    let kind = KINDS
        .iter()
        .find(|k| k.name == kind)
        .ok_or(Error::UnknownWidget)?;
    let ctx = Context::from_js(context);
    let existing = LIVE.with_borrow(|entries| {
        entries
            .iter()
            .find(|(_, slot)| slot.host == element)
            .map(|(handle, slot)| (*handle, Rc::clone(slot)))
    });
    match existing {
        Some((handle, slot)) if core::ptr::eq(slot.kind, kind) => {
            return match slot.remount(&ctx) {
                Ok(()) => Ok(handle),
                Err(error) => {
                    unmount(handle);
                    crate::dom::restore_fallback(&element);
                    Err(error)
                }
            };
        }
        // Another kind of widget in this element: it goes, the new one comes.
        Some((handle, _)) => unmount(handle),
        None => {}
    }
    let handle = NEXT.get();
    NEXT.set(handle.wrapping_add(1).max(1));
    match mount_new(kind, handle, &element, &ctx) {
        Ok(()) => Ok(handle),
        Err(error) => {
            unmount(handle);
            crate::dom::restore_fallback(&element);
            Err(error)
        }
    }
}

/// Unmounts the widget behind `handle`, if it is still mounted.
pub fn unmount(handle: u32) {
    // Take it out first and drop it after the borrow ends: Drop touches the DOM.
    let gone = LIVE.with_borrow_mut(|entries| {
        entries
            .iter()
            .position(|(h, _)| *h == handle)
            .map(|at| entries.remove(at))
    });
    drop(gone);
}
