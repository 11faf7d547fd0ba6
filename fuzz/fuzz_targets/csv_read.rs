//! The CSV reader on any bytes, as `gradproof train --data FILE.csv` reads them: a data
//! set or an error with a line (and column), never a panic; a data set that reads is
//! then split and standardised, as `train` does before it trains.

#![no_main]

use gradproof::nn::data::{from_csv_bytes, Standardizer};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    // The first byte chooses the label column: the last (the default), or the column
    // named by the header's first cell, so both ways of naming it are fuzzed.
    let Some((&choice, bytes)) = bytes.split_first() else {
        return;
    };
    let named = std::str::from_utf8(bytes)
        .ok()
        .and_then(|text| text.lines().next())
        .and_then(|header| header.split(',').next())
        .map(|cell| cell.trim().to_string());
    let label = if choice % 2 == 1 { named.as_deref() } else { None };
    let data = match from_csv_bytes("fuzz.csv", bytes, label) {
        Ok(data) => data,
        Err(error) => {
            let _ = error.to_string();
            return;
        }
    };
    let fraction = f64::from(choice >> 1) / 128.0 * 0.9;
    let Ok(mut split) = data.split(fraction, u64::from(choice)) else {
        return;
    };
    if let Ok(standardizer) = Standardizer::fit(&split.train) {
        for half in [&mut split.train, &mut split.test] {
            let _ = standardizer.apply(half);
        }
    }
});
