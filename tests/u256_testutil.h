/* Helpers of the protocol suites (test_protocol.c, test_comet.c, test_morpho.c): keel_u256
 * from a u64 or a decimal / hex string, and a check of one against its
 * decimal text. Include after testutil.h. */
#ifndef KEEL_U256_TESTUTIL_H
#define KEEL_U256_TESTUTIL_H

static keel_u256 u(uint64_t v) { return keel_u256_from_u64(v); }

static keel_u256 s(const char *text)
{
    keel_u256 v;
    ck_ok(keel_u256_from_string(text, &v));
    return v;
}

#define ck_u256_eq(got, want_text)                                                         \
    do {                                                                                   \
        char buf_[KEEL_U256_DECIMAL_MAX];                                                  \
        ck_ok(keel_u256_to_string((got), buf_, sizeof buf_));                              \
        ck_assert_str_eq(buf_, (want_text));                                               \
    } while (0)

#endif /* KEEL_U256_TESTUTIL_H */
