#!/usr/bin/env python3
"""The doc-snippet checker finds every claim a block makes: a wrong number in a
doc comment must not slip through because of how the comment is written.
(Pure text tests of tests/check_doc_snippets.py; nothing is compiled.)"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_doc_snippets as cds  # noqa: E402


def expect_failure(fn, *args):
    try:
        fn(*args)
    except cds.Failure:
        return
    raise SystemExit(f"{fn.__name__} accepted {args!r}: an unchecked claim slips through")


def main():
    # C: a `;` in the format string, a `//` comment, a printf over two lines
    c = ('printf("HF %.4f; LTV %.4f\\n", hf, ltv);  /* HF 1.3833; LTV 0.6000 */\n'
         'printf("HF %.4f\\n", hf);  // HF 1.3833\n'
         'printf("below %.2f\\n",\n       p); /* below 1445.78 */\n'
         'fprintf(stderr, "%s\\n", keel_last_error());\n'
         'x = 1;  /* LTV 80.5% */\n')
    got = cds.print_claims("c", "t", c)
    want = ["HF 1.3833; LTV 0.6000", "HF 1.3833", "below 1445.78"]
    assert got == want, (got, want)
    # Rust: a `;` in the format string, a `/* */` comment
    r = ('println!("HF {:.4}; x", hf); // HF 1.3833; x\n'
         'println!("HF {:.4}", hf); /* HF 1.3833 */\n'
         'println!("{}", ")"); // )\n')
    got = cds.print_claims("rust", "t", r)
    want = ["HF 1.3833; x", "HF 1.3833", ")"]
    assert got == want, (got, want)
    # a number claimed off a print statement, in either comment style
    expect_failure(cds.print_claims, "c", "t", "double hf = 1.0; // = 1.3833\n")
    expect_failure(cds.print_claims, "rust", "t", "let hf = 1.0; /* = 1.3833 */\n")
    # Python: an assignment's comment with a number is a claim nobody checks
    expect_failure(cds.python_program, "hf = 1.0 + 0.3833  # 1.3833\n")
    expect_failure(cds.python_program, "x = dict(a=1,\n         b=2)  # b 2.5\n")
    # ... while remarks and checked expressions pass
    prog, n = cds.python_program("# the band's 1.3\nx = 2  # the same bits as run(0, 10000)\n"
                                 "x + 0.5  # 2.5\nprint(x)  # 2\n")
    assert n == 2, n
    # a ```text block marked as an example's output is checked, not skipped
    import tempfile
    with tempfile.TemporaryDirectory() as root:
        os.mkdir(os.path.join(root, "docs"))
        with open(os.path.join(root, "README.md"), "w") as f:
            f.write("<!-- snippet: output examples/python/x.py -->\n```text\nHF 1.1594\n```\n")
        progs, _ = cds.programs(root)
        assert progs == [("README.md:2", "output", "examples/python/x.py\nHF 1.1594\n")], progs
    print("doc-snippet claims: ok")


if __name__ == "__main__":
    main()
