//! Generated `.grad` files of any size, for the loading test and benchmark.

/// A valid program of about `statements` statements: an input, then in turn a
/// parameter, a definition that chains to the previous one, and a claim about it
/// (`claim a7 = sigma(w7 * x + a6)`), so that every line is parsed, resolved and
/// its names looked up.
pub fn program(statements: usize) -> String {
    let mut source = String::from("input x = 0.5\na0 = x\n");
    for i in 1..=statements.div_ceil(3) {
        source.push_str(&format!(
            "param w{i} = 0.{i}\na{i} = sigma(w{i} * x + a{j})\nclaim a{i} = sigma(w{i} * x + a{j})\n",
            j = i - 1
        ));
    }
    source
}

/// About `bytes` bytes of junk: lines of characters that start no token, stray
/// operators and unclosed parentheses, each line an error.
pub fn junk(bytes: usize) -> String {
    const LINES: [&str; 4] = [
        "$$ ¤ %% @@ !! junk\n",
        "= = ) ( * / ^ \n",
        "sigma(((( x + \n",
        "claim claim claim = = =\n",
    ];
    let mut source = String::with_capacity(bytes + 32);
    let mut k = 0;
    while source.len() < bytes {
        source.push_str(LINES[k % LINES.len()]);
        k += 1;
    }
    source
}
