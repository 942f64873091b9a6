//! The widgets, one folder each; the one list of them ([`KINDS`]); the trait each implements
//! ([`Widget`]); and the registry of mounted ones.
//!
//! A mounted widget lives in the registry under its handle. Its listeners and async tasks refer
//! to it through a [`Me`] (the handle, typed), so unmounting (dropping it) releases everything
//! and late answers find nothing. Messages are queued per widget and delivered in order, even
//! when one arrives while the widget is busy handling another.

#[cfg(feature = "feedback")]
mod feedback;
#[cfg(feature = "rating")]
mod rating;

use crate::config::{self, Options};
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::local::{mutable, shared};
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
    /// The options changed after mount (an attribute, or `bangtin('mount', …)` again). Return
    /// `true` if the widget applied them itself; `false` (the default) rebuilds it.
    fn reconfigure(&mut self, _options: &Self::Options) -> bool {
        false
    }
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

/// One entry of [`KINDS`].
pub struct Kind {
    pub name: &'static str,
    mount: fn(u32, &HtmlElement, &Context) -> Result<Rc<dyn Live>>,
    /// The options table, for the README.
    #[cfg(not(target_arch = "wasm32"))]
    pub spec: fn() -> Vec<config::OptSpec>,
}

impl Kind {
    const fn of<W: Widget>() -> Kind {
        Kind {
            name: W::NAME,
            mount: mount_new::<W>,
            #[cfg(not(target_arch = "wasm32"))]
            spec: <W::Options as Options>::spec,
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
        self.with_slot(|_| ()).is_some()
    }

    /// Delivers `msg` to the widget, if it is still mounted. Never dropped while it is: a message
    /// sent during another's handling is queued and handled right after it.
    pub fn send(self, msg: W::Msg) {
        self.with_slot(|slot| {
            mutable(&slot.inbox).push(msg);
            slot.drain();
        });
    }

    fn with_slot<T>(self, f: impl FnOnce(&Slot<W>) -> T) -> Option<T> {
        let live = find(self.handle)?;
        let slot = live.any().downcast_ref::<Slot<W>>()?;
        (slot.generation.get() == self.generation).then(|| f(slot))
    }
}

/// A mounted widget, whatever its kind.
trait Live {
    fn any(&self) -> &dyn Any;
    fn kind(&self) -> &'static str;
    fn host(&self) -> &HtmlElement;
    /// Applies new options (and context) to the mounted widget.
    fn remount(&self, ctx: &Context) -> Result<()>;
}

/// The registry's cell for one widget.
struct Slot<W: Widget> {
    handle: u32,
    generation: Cell<u32>,
    host: HtmlElement,
    options: RefCell<W::Options>,
    ctx: RefCell<Context>,
    widget: RefCell<Option<W>>,
    inbox: RefCell<Vec<W::Msg>>,
}

impl<W: Widget> Slot<W> {
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
                widget.update(msg);
            }
        }
    }

    fn build(&self) -> Result<()> {
        self.generation.set(self.generation.get().wrapping_add(1));
        let me = Me {
            handle: self.handle,
            generation: self.generation.get(),
            widget: PhantomData,
        };
        let options = shared(&self.options).clone();
        let widget = W::mount(me, &self.host, options, &shared(&self.ctx))?;
        *mutable(&self.widget) = Some(widget);
        self.drain();
        Ok(())
    }
}

impl<W: Widget> Live for Slot<W> {
    fn any(&self) -> &dyn Any {
        self
    }

    fn kind(&self) -> &'static str {
        W::NAME
    }

    fn host(&self) -> &HtmlElement {
        &self.host
    }

    fn remount(&self, ctx: &Context) -> Result<()> {
        let options: W::Options = config::read(&self.host);
        if *shared(&self.options) == options && *shared(&self.ctx) == *ctx {
            return Ok(());
        }
        *mutable(&self.options) = options.clone();
        let same_context = *shared(&self.ctx) == *ctx;
        *mutable(&self.ctx) = ctx.clone();
        let applied = same_context
            && self
                .widget
                .try_borrow_mut()
                .ok()
                .and_then(|mut w| w.as_mut().map(|w| w.reconfigure(&options)))
                .unwrap_or(false);
        if applied {
            return Ok(());
        }
        // Dropped first (it restores the fallback), then built afresh under the same handle.
        let old = mutable(&self.widget).take();
        drop(old);
        mutable(&self.inbox).clear();
        self.build()
    }
}

fn mount_new<W: Widget>(handle: u32, host: &HtmlElement, ctx: &Context) -> Result<Rc<dyn Live>> {
    let slot = Rc::new(Slot::<W> {
        handle,
        generation: Cell::new(0),
        host: host.clone(),
        options: RefCell::new(config::read(host)),
        ctx: RefCell::new(ctx.clone()),
        widget: RefCell::new(None),
        inbox: RefCell::new(Vec::new()),
    });
    // Registered before it is built, so that messages sent while mounting are queued, not lost.
    let live: Rc<dyn Live> = slot.clone();
    LIVE.with_borrow_mut(|entries| entries.push((handle, Rc::clone(&live))));
    slot.build()?;
    Ok(live)
}

crate::local::local! {
    static LIVE: RefCell<Vec<(u32, Rc<dyn Live>)>> = RefCell::new(Vec::new());
    static NEXT: Cell<u32> = Cell::new(1);
}

fn find(handle: u32) -> Option<Rc<dyn Live>> {
    LIVE.with_borrow(|entries| {
        entries
            .iter()
            .find(|(h, _)| *h == handle)
            .map(|(_, live)| Rc::clone(live))
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
            .find(|(_, live)| live.host() == &element)
            .map(|(handle, live)| (*handle, Rc::clone(live)))
    });
    match existing {
        Some((handle, live)) if live.kind() == kind.name => {
            return match live.remount(&ctx) {
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
    match (kind.mount)(handle, &element, &ctx) {
        Ok(_) => Ok(handle),
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
