//! Growing the tape: the one call inside every op's inlined code, made so that it costs
//! the caller's registers nothing.
//!
//! Every unary and binary op checks that the tape has room and, rarely, grows it. The
//! growth is a call, and a call's mere presence costs: the compiler must assume that the
//! callee changes every register its calling convention lets it change, so values of
//! the user's loop that live across an op (the running sum of `z += w·a`, the loop's
//! pointers) are kept in the few registers a callee must preserve, and the rest go to
//! the stack, for the whole loop. Under the System V convention that is every vector
//! register and nine general ones; under Windows x64, six vector and seven general ones.
//!
//! On x86-64 the call therefore goes through `call_saving_all`, a few lines of
//! assembly that save every register the callee may change and restore them after it:
//! the op's code then clobbers only `rax`. Recording the benchmark's network op by op
//! takes about a fifth less time than with the Windows convention (see the README's
//! "The growth call"). The vector registers are saved with `xsave`, at whatever
//! width the system has enabled: a caller compiled with AVX or AVX-512 may hold 256- or
//! 512-bit values across the op, and the callee (the allocator, `memcpy`) may use those
//! registers. Other architectures make a plain call (their conventions keep some float
//! registers across calls already), and so does Miri, which runs no assembly.

use num_traits::Float;

use super::records::Records;

/// Makes room in `records` for one more scalar node; panics when the tape is full, and
/// aborts when memory runs out, as `Vec` does.
#[inline(always)]
pub(super) fn grow<T: Float>(records: &mut Records<T>) {
    #[cfg(all(target_arch = "x86_64", not(miri)))]
    saving_all::grow(records);
    #[cfg(not(all(target_arch = "x86_64", not(miri))))]
    grow_out_of_line(records);
}

/// [`Records::make_room`], out of line: on other architectures, and under Miri, which
/// runs no assembly.
#[cfg(not(all(target_arch = "x86_64", not(miri))))]
#[cold]
#[inline(never)]
fn grow_out_of_line<T: Float>(records: &mut Records<T>) {
    records.make_room();
}

#[cfg(all(target_arch = "x86_64", not(miri)))]
mod saving_all {
    use std::arch::{asm, naked_asm};
    use std::sync::atomic::AtomicU8;

    use num_traits::Float;

    use super::Records;

    /// The growth itself, as [`call_saving_all`] calls it: [`Records::try_make_room`],
    /// under the System V convention. It never unwinds (an `extern` function that
    /// panicked would abort), and reports failure instead.
    extern "sysv64" fn try_make_room<T: Float>(records: *mut Records<T>) -> bool {
        // SAFETY: `grow` passes a pointer made from a live `&mut Records<T>`.
        unsafe { (*records).try_make_room() }
    }

    #[inline(always)]
    pub(super) fn grow<T: Float>(records: &mut Records<T>) {
        let callee: extern "sysv64" fn(*mut Records<T>) -> bool = try_make_room::<T>;
        let made: usize;
        // SAFETY: `call_saving_all` calls `rax` with `rdi` as its argument, following
        // the System V convention (stack aligned, direction flag clear as on entry to
        // any asm block), and returns with every register as it found it except `rax`
        // (the callee's result) and the flags, which is what this block declares. The
        // block may read and write memory (not `nomem`): the callee grows the tape. It
        // uses the stack (not `nostack`), so the compiler keeps no data below the stack
        // pointer here. The callee cannot unwind.
        unsafe {
            asm!(
                "call {call}",
                call = sym call_saving_all,
                inout("rax") callee as usize => made,
                in("rdi") records as *mut Records<T>,
            );
        }
        // A `bool` comes back in `al`; the rest of `rax` is unspecified.
        if made as u8 == 0 {
            cannot_grow(records);
        }
    }

    /// The tape is full, or memory ran out: fail as [`Records::make_room`] fails. This
    /// call never returns, so it costs the caller no registers either.
    #[cold]
    #[inline(never)]
    fn cannot_grow<T: Float>(records: &mut Records<T>) -> ! {
        records.make_room();
        unreachable!("the tape could not grow, then could");
    }

    /// How [`call_saving_all`] saves the vector registers: 0 not yet known, then
    /// 1 `movdqu` of xmm0–15 (no `xsave` on this system), 2 `xsave`, 3 `xsavec`.
    /// Written the first time it runs; every thread finds the same value, so racing
    /// byte stores are all alike.
    static SAVE_WITH: AtomicU8 = AtomicU8::new(0);

    /// Stack bytes for the saved vector state: the legacy region and header (576
    /// bytes), then the AVX upper halves (256), the AVX-512 mask registers (64), upper
    /// halves of zmm0–15 (512) and zmm16–31 (1024). Laid out by `xsavec` in this order
    /// (2432 bytes, plus alignment), by `xsave` at their standard offsets (ending at
    /// 2688); rounded up to a multiple of 64.
    const STATE_AREA: usize = 2752;

    /// The state components saved: SSE (xmm0–15 and MXCSR), AVX, and the three AVX-512
    /// components; those the system has not enabled are skipped by the instruction.
    const STATE_MASK: u32 = 0b1110_0110;

    /// Calls the function in `rax` with the argument in `rdi` (System V convention, a
    /// `bool` returned in `al`) and returns with every other register as it was: the
    /// general registers the callee may change, and the vector registers. These are
    /// saved with `xsave` (or `xsavec`), so at whatever width the system enables, and
    /// restored with `xrstor`, which also puts registers the caller had not touched
    /// back in their initial state: no AVX transition costs are left behind. Uses under
    /// 3 KiB of stack, and no write lands more than a page below the one before, so a
    /// stack overflow still meets the guard page. (AMX tile registers, which no Rust
    /// code holds across a call, are not saved.)
    #[unsafe(naked)]
    extern "sysv64" fn call_saving_all() {
        naked_asm!(
            "push rbp",
            "mov rbp, rsp",
            "push rbx",
            "push rcx",
            "push rdx",
            "push rsi",
            "push rdi",
            "push r8",
            "push r9",
            "push r10",
            "push r11",
            "mov r11, rax",
            "and rsp, -64",
            "sub rsp, {area}",
            // How to save the vector registers: found once. (Labels avoid names made of
            // 0s and 1s only, which the assembler may read as binary numbers.)
            "movzx eax, byte ptr [rip + {save_with}]",
            "test eax, eax",
            "jnz 2f",
            "mov eax, 1",
            "cpuid",
            "mov r10d, 1",
            "bt ecx, 27", // OSXSAVE: the system manages the state with xsave
            "jnc 5f",
            "mov r10d, 2",
            "mov eax, 0xd",
            "mov ecx, 1",
            "cpuid",
            "bt eax, 1", // xsavec
            "jnc 5f",
            "mov r10d, 3",
            "5:",
            "mov eax, r10d",
            "mov byte ptr [rip + {save_with}], al",
            "2:",
            "cmp eax, 1",
            "je 20f",
            // xsave and xrstor need the header's reserved bytes zero.
            "xor ecx, ecx",
            "mov [rsp + 512], rcx",
            "mov [rsp + 520], rcx",
            "mov [rsp + 528], rcx",
            "mov [rsp + 536], rcx",
            "mov [rsp + 544], rcx",
            "mov [rsp + 552], rcx",
            "mov [rsp + 560], rcx",
            "mov [rsp + 568], rcx",
            "mov r10d, eax",
            "mov eax, {mask}",
            "xor edx, edx",
            "cmp r10d, 3",
            "je 3f",
            "xsave64 [rsp]",
            "jmp 4f",
            "3:",
            "xsavec64 [rsp]",
            "4:",
            "call r11",
            "mov r10d, eax",
            "mov eax, {mask}",
            "xor edx, edx",
            "xrstor64 [rsp]",
            "mov eax, r10d",
            "jmp 40f",
            // No xsave: xmm0–15 are all there is.
            "20:",
            "movdqu [rsp + 0x000], xmm0",
            "movdqu [rsp + 0x010], xmm1",
            "movdqu [rsp + 0x020], xmm2",
            "movdqu [rsp + 0x030], xmm3",
            "movdqu [rsp + 0x040], xmm4",
            "movdqu [rsp + 0x050], xmm5",
            "movdqu [rsp + 0x060], xmm6",
            "movdqu [rsp + 0x070], xmm7",
            "movdqu [rsp + 0x080], xmm8",
            "movdqu [rsp + 0x090], xmm9",
            "movdqu [rsp + 0x0a0], xmm10",
            "movdqu [rsp + 0x0b0], xmm11",
            "movdqu [rsp + 0x0c0], xmm12",
            "movdqu [rsp + 0x0d0], xmm13",
            "movdqu [rsp + 0x0e0], xmm14",
            "movdqu [rsp + 0x0f0], xmm15",
            "call r11",
            "movdqu xmm0, [rsp + 0x000]",
            "movdqu xmm1, [rsp + 0x010]",
            "movdqu xmm2, [rsp + 0x020]",
            "movdqu xmm3, [rsp + 0x030]",
            "movdqu xmm4, [rsp + 0x040]",
            "movdqu xmm5, [rsp + 0x050]",
            "movdqu xmm6, [rsp + 0x060]",
            "movdqu xmm7, [rsp + 0x070]",
            "movdqu xmm8, [rsp + 0x080]",
            "movdqu xmm9, [rsp + 0x090]",
            "movdqu xmm10, [rsp + 0x0a0]",
            "movdqu xmm11, [rsp + 0x0b0]",
            "movdqu xmm12, [rsp + 0x0c0]",
            "movdqu xmm13, [rsp + 0x0d0]",
            "movdqu xmm14, [rsp + 0x0e0]",
            "movdqu xmm15, [rsp + 0x0f0]",
            // The callee's result is in `eax`; restoring touched no other general
            // register but `r10`, restored below with the rest.
            "40:",
            "lea rsp, [rbp - 72]",
            "pop r11",
            "pop r10",
            "pop r9",
            "pop r8",
            "pop rdi",
            "pop rsi",
            "pop rdx",
            "pop rcx",
            "pop rbx",
            "pop rbp",
            "ret",
            area = const STATE_AREA,
            mask = const STATE_MASK,
            save_with = sym SAVE_WITH,
        )
    }
}
