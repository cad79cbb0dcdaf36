"""annhist's benchmarks: annhist against a reference on the same work, side by side in one run."""
