//! A global allocator that counts, per thread, the allocations made and the bytes held
//! (with their peak), so a test can show that code allocates nothing, or how much memory
//! it needs at most. Per thread, because the test harness runs tests on parallel threads.

// Each test file that includes this module uses part of it.
#![allow(dead_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

/// The system allocator, counting.
pub struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
    static HELD: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn hold(bytes: isize) {
    let held = HELD.with(|h| {
        h.set(h.get() + bytes);
        h.get()
    });
    PEAK.with(|p| p.set(p.get().max(held)));
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|n| n.set(n.get() + 1));
        hold(layout.size() as isize);
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        hold(-(layout.size() as isize));
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.with(|n| n.set(n.get() + 1));
        // While the block moves, old and new are both held.
        hold(new_size as isize);
        hold(-(layout.size() as isize));
        System.realloc(ptr, layout, new_size)
    }
}

/// Allocations (and reallocations) made by this thread so far.
pub fn allocations() -> usize {
    ALLOCATIONS.with(Cell::get)
}

/// The most bytes this thread held at once while running `f`, above what it held
/// before; with `f`'s result.
pub fn peak_during<R>(f: impl FnOnce() -> R) -> (usize, R) {
    let before = HELD.with(Cell::get);
    PEAK.with(|p| p.set(before));
    let result = f();
    let peak = PEAK.with(Cell::get);
    ((peak - before).max(0) as usize, result)
}
