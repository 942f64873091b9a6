//! Page-wide state (the registry of mounted widgets, batches waiting to be sent, one style sheet
//! per widget kind) in statics.
//!
//! With `std` (native tests, browser tests) these are `thread_local!`s. The bundle is built
//! without `std` — so that a panic is a bare trap instead of pulling in `core::fmt` and the std
//! panic handler (about 2.5 KB brotli, see BENCHMARKS.md) — and `thread_local!` is std-only; there
//! they are plain statics around a `RefCell` or `Cell`, which is sound because that build runs on
//! exactly one thread: wasm32 without the `atomics` target feature has no threads (checked below).
//! This is the only `unsafe` in the workspace.

/// Declares page-wide statics with the same API either way: `with_borrow`, `with_borrow_mut`
/// and `set` for `RefCell`s, `get` and `set` for `Cell`s.
macro_rules! local {
    ($($(#[$meta:meta])* static $name:ident: $ty:ty = $init:expr;)*) => {
        #[cfg(feature = "std")]
        std::thread_local! { $($(#[$meta])* static $name: $ty = const { $init };)* }
        $(
            #[cfg(not(feature = "std"))]
            $(#[$meta])*
            static $name: $crate::local::Local<$ty> = $crate::local::Local::new($init);
        )*
    };
}
pub(crate) use local;

#[cfg(not(feature = "std"))]
pub use single_threaded::Local;

use core::cell::{Ref, RefCell, RefMut};

/// `cell.borrow()`: a cell borrowed mutably elsewhere is a bug; it traps without pulling in the
/// panic message machinery that `RefCell::borrow`'s panic costs.
pub fn shared<T>(cell: &RefCell<T>) -> Ref<'_, T> {
    match cell.try_borrow() {
        Ok(value) => value,
        Err(_) => trap(),
    }
}

/// `cell.borrow_mut()`, trapping like [`shared`].
pub fn mutable<T>(cell: &RefCell<T>) -> RefMut<'_, T> {
    match cell.try_borrow_mut() {
        Ok(value) => value,
        Err(_) => trap(),
    }
}

/// Stops: the bundle traps (no message formatting); the tests panic.
pub fn trap() -> ! {
    #[cfg(all(target_arch = "wasm32", not(feature = "std")))]
    core::arch::wasm32::unreachable();
    #[cfg(not(all(target_arch = "wasm32", not(feature = "std"))))]
    unreachable!("a page-wide cell was borrowed twice")
}

#[cfg(not(feature = "std"))]
mod single_threaded {
    #![allow(unsafe_code)]
    use core::cell::{Cell, RefCell};

    #[cfg(not(target_arch = "wasm32"))]
    compile_error!("building without `std` is for the wasm32 bundle only");
    #[cfg(target_feature = "atomics")]
    compile_error!("page-wide statics assume one thread: build the bundle without `atomics`");

    /// A value in a static on a single-threaded target.
    pub struct Local<T>(T);

    // SAFETY: `Sync` lets a static hold `Local`. It is only ever touched from the one thread a
    // wasm32 module without `atomics` has (the compile_errors above refuse other builds), so no
    // two threads can reach the inner `RefCell`/`Cell`, which still checks borrows at run time.
    unsafe impl<T> Sync for Local<T> {}

    impl<T> Local<T> {
        pub const fn new(value: T) -> Self {
            Local(value)
        }
    }

    impl<T> Local<RefCell<T>> {
        pub fn with_borrow<R>(&'static self, f: impl FnOnce(&T) -> R) -> R {
            f(&super::shared(&self.0))
        }

        pub fn with_borrow_mut<R>(&'static self, f: impl FnOnce(&mut T) -> R) -> R {
            f(&mut super::mutable(&self.0))
        }

        pub fn set(&'static self, value: T) {
            *super::mutable(&self.0) = value;
        }
    }

    impl<T: Copy> Local<Cell<T>> {
        pub fn get(&'static self) -> T {
            self.0.get()
        }

        pub fn set(&'static self, value: T) {
            self.0.set(value);
        }
    }
}
