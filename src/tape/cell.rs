//! The records behind a shared `&Tape`: an `UnsafeCell` and one flag, `busy`.
//!
//! Every `Var` op records through `&Tape`, so the records need interior mutability. A
//! `RefCell` would do, at the price of setting and clearing its borrow flag on every op.
//! Here the hot path ([`RecordsCell::push_node`]) only *reads* the flag, and soundness
//! rests on one rule: **no code but this module's and the records' own runs while the
//! hot path holds the records, except with `busy` set.** `busy` is set for as long as
//! anything else may run: by [`RecordsCell::with`], the way in for code that may run the
//! float type's own arithmetic (a sweep, a fused op's edges), and by [`grow`], which calls
//! the allocator. Every way in tests `busy` first and panics if it is set, so code that
//! reaches the tape again from there panics before it makes a second reference.
//!
//! Measured on the peers benchmark's 64-32-10 network, fastest of 300 batches: recording
//! 8.9 µs against 9.7 with the `RefCell` (docs/performance.md, "Against other tapes").

use std::cell::{Cell, UnsafeCell};

use num_traits::Float;

use super::records::{Node, Records};

/// The records of one tape, and whether code other than the records' own may be running
/// while they are held.
///
/// `repr(C)`, flag first: in the order the compiler chose (the flag after the records)
/// the same code recorded 15 % slower (10.5 against 8.9 µs at 64-32-10, three
/// alternated runs), an effect of where the fields fall that was measured, not
/// explained.
#[repr(C)]
pub(super) struct RecordsCell<T> {
    /// Set while [`RecordsCell::with`] or [`grow`] holds the records: every way in
    /// tests it and panics ([`reentered`]) rather than make a second reference.
    busy: Cell<bool>,
    records: UnsafeCell<Records<T>>,
}

/// Sets `busy` for its lifetime and clears it on drop, on return and on unwinding alike:
/// a panic inside a sweep (a float type's arithmetic may panic) does not leave the tape
/// unusable.
struct Busy<'c>(&'c Cell<bool>);

impl<'c> Busy<'c> {
    fn set(busy: &'c Cell<bool>) -> Self {
        busy.set(true);
        Busy(busy)
    }
}

impl Drop for Busy<'_> {
    fn drop(&mut self) {
        self.0.set(false);
    }
}

/// A record or sweep of a tape reached the same tape again: only a float type whose own
/// arithmetic records on the tape (or an allocator that does) can do that. Out of line
/// and never returning, so it costs the inlined record nothing but its branch.
#[cold]
#[inline(never)]
fn reentered() -> ! {
    panic!(
        "a Tape was used from inside its own record or sweep: the float type's arithmetic \
         must not record on the tape it is being recorded on"
    )
}

impl<T: Float> RecordsCell<T> {
    pub(super) fn new(records: Records<T>) -> Self {
        RecordsCell {
            records: UnsafeCell::new(records),
            busy: Cell::new(false),
        }
    }

    /// The records, through a unique borrow of the cell: no flag needed.
    pub(super) fn get_mut(&mut self) -> &mut Records<T> {
        self.records.get_mut()
    }

    /// Runs `f` on the records with `busy` set, so that `f` may run any code (the
    /// float type's arithmetic, the allocator): if that code reaches this tape again,
    /// it panics there.
    #[inline(always)]
    #[allow(unsafe_code)]
    pub(super) fn with<R>(&self, f: impl FnOnce(&mut Records<T>) -> R) -> R {
        if self.busy.get() {
            reentered();
        }
        let _busy = Busy::set(&self.busy);
        // SAFETY: no other reference to the records is live. `busy` was clear, so no
        // `with` and no `grow` holds them; `push_node` holds them only while it runs
        // no code but the records' own, none of which calls back here; `get_mut` needs
        // `&mut self`. While `f` runs, `busy` is set, so every way in panics before it
        // makes a reference.
        f(unsafe { &mut *self.records.get() })
    }

    /// Records a scalar node: the hot path of every unary and binary op. The node is
    /// built before the call, so that the float type's code (`T::zero()` for an unused
    /// partial) has run before the records are touched.
    #[inline(always)]
    #[allow(unsafe_code)]
    pub(super) fn push_node(&self, node: Node<T>) -> u32 {
        if self.busy.get() {
            reentered();
        }
        // SAFETY: no other reference to the records is live, as in `with`. This one
        // lives to the end of the function, and meanwhile runs only the records' own
        // loads and stores (a `Node` is `Copy`: writing it runs no `Drop` or `Clone`)
        // and `grow`, which sets `busy` before it calls the allocator.
        let records = unsafe { &mut *self.records.get() };
        if !records.has_room() {
            grow(records, &self.busy);
        }
        records.push_unchecked(node)
    }
}

/// [`Records::make_room`], out of line, with `busy` set while it runs (it calls the
/// allocator), and with a calling convention that keeps the caller's floats in
/// registers.
///
/// Every unary and binary op may have to grow the tape, so every op's inlined code holds
/// a call to this function, rarely taken. A call's mere presence costs: under the System
/// V convention it clobbers every vector register, so the compiler keeps the floats of
/// the user's loop that live across an op (the running sum of `z += w·a`, say) on the
/// stack for the whole loop, not only around the call. The Windows x64 convention has
/// the callee preserve `xmm6`–`xmm15`, so they stay in registers. `-unwind`: the
/// full-tape panic unwinds as from any other function.
#[cfg(target_arch = "x86_64")]
#[cold]
#[inline(never)]
extern "win64-unwind" fn grow<T: Float>(records: &mut Records<T>, busy: &Cell<bool>) {
    let _busy = Busy::set(busy);
    records.make_room();
}

/// [`Records::make_room`], out of line, with `busy` set while it runs (other targets'
/// conventions keep some float registers across calls already).
#[cfg(not(target_arch = "x86_64"))]
#[cold]
#[inline(never)]
fn grow<T: Float>(records: &mut Records<T>, busy: &Cell<bool>) {
    let _busy = Busy::set(busy);
    records.make_room();
}
