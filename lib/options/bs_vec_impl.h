/* The vector Black-Scholes-Merton kernel, written once over the operations
 * bs_vec.c defines for each target (W lanes of doubles V, lane masks M):
 * the formulas of bs.c's kernel, in the same order of operations, on
 * structure-of-arrays inputs, with glibc's libmvec for exp, log, log1p,
 * expm1 and erfc. A lane takes this path only where bs.c's kernel uses
 * its plain formulas (vol > 0, T > 0, sigma sqrt(T) >= 0.02, not deep out
 * of the money) and every intermediate is far inside double range; the
 * others (the limits, tiny sigma sqrt(T), the quadrature deep out of the
 * money, extreme inputs) are handed to bs.c's kernel lane by lane
 * (keel_bs_lane), so their results are its bits. Only the members asked
 * for are computed. No include guard: included once per target. */

#define KV_CAT2(a, b) a##_##b
#define KV_CAT(a, b) KV_CAT2(a, b)
#define KV(name) KV_CAT(name, KV_SUFFIX)

/* bs.c's carry_part, the three forms and the one with the smallest terms. */
static inline KV_ATTR V KV(carry_part)(V q, V r, V sd, V kd, V a, V b, V w)
{
    V qr = q - r;
    V qsa = q * sd * a, rkb = r * kd * b, qrkb = qr * kd * b, qrsa = qr * sd * a;
    V f1 = VABS(qsa) + VABS(rkb);
    V f2 = VABS(q * w) + VABS(qrkb);
    V f3 = VABS(r * w) + VABS(qrsa);
    V c1 = qsa - rkb, c2 = q * w + qrkb, c3 = r * w + qrsa;
    M two = MAND(MLE(f2, f1), MLE(f2, f3));
    M three = MLE(f3, f1);
    return SEL(two, c2, SEL(three, c3, c1));
}

/* Up to KV_NC options from index i of the inputs (types as ints), in
 * nv vectors, the requested members to out[m] + i; returns the lanes (bit
 * j for option i + j) that bs.c's kernel must compute instead. Staged:
 * the arguments of each vector function for the whole chunk first, then
 * the calls back to back (independent, so they overlap; the vector
 * registers live across a call are few), then the formulas. */
static KV_ATTR uint64_t KV(chunk)(const int *ty, const double *pS, const double *pK,
                                  const double *pT, const double *pr, const double *pq,
                                  const double *pv, size_t i, size_t nv, double *const out[10],
                                  unsigned need)
{
    _Alignas(64) double S_[KV_NC], K_[KV_NC], T_[KV_NC], r_[KV_NC], q_[KV_NC], v_[KV_NC];
    _Alignas(64) double sqt_[KV_NC], a1_[KV_NC], a2_[KV_NC], mq_[KV_NC], mr_[KV_NC];
    _Alignas(64) double dq_[KV_NC], dr_[KV_NC], x_[KV_NC], d1_[KV_NC], e1_[KV_NC], e2_[KV_NC];
    _Alignas(64) double pd_[KV_NC], em_[KV_NC], inv_[KV_NC];
    uint64_t fastb = 0, nearb = 0, gapb = 0;
    const bool want_kd = need & (KEEL_BSO_VALUE | KEEL_BSO_THETA | KEEL_BSO_RHO);
    const bool want_n1 = need & (KEEL_BSO_VALUE | KEEL_BSO_DELTA | KEEL_BSO_THETA |
                                 KEEL_BSO_DRHO | KEEL_BSO_CHARM);
    const bool want_n2 = want_kd;
    const bool want_value = need & (KEEL_BSO_VALUE | KEEL_BSO_THETA);
    const bool want_pd1 = need & (KEEL_BSO_GAMMA | KEEL_BSO_VEGA | KEEL_BSO_THETA |
                                  KEEL_BSO_VANNA | KEEL_BSO_VOLGA | KEEL_BSO_CHARM);
    /* stage 1: guards, harmless inputs in the lanes that are not ours, and
     * the arguments of log1p or log and of the discount factors */
    for (size_t v = 0; v < nv; v++) {
        size_t j = v * KV_W;
        V S = VLD(pS + i + j), K = VLD(pK + i + j), T = VLD(pT + i + j);
        V r = VLD(pr + i + j), q = VLD(pq + i + j), vol = VLD(pv + i + j);
        V sqt = VSQRT(T), sst = vol * sqt;
        /* the plain formulas' domain, and every intermediate far inside
         * double range (S, K in [1e-100, 1e100], |rT|, |qT| <= 200,
         * T in [1e-100, 1e100], sigma sqrt(T) in [0.02, 40]: phi(d1)
         * above 1e-200 while not deep out of the money, no product near
         * overflow) */
        M fast = MAND(MAND(MGE(S, VSET(1e-100)), MLE(S, VSET(1e100))),
                      MAND(MGE(K, VSET(1e-100)), MLE(K, VSET(1e100))));
        fast = MAND(fast, MAND(MGE(T, VSET(1e-100)), MLE(T, VSET(1e100))));
        fast = MAND(fast, MAND(MGE(sst, VSET(0.02)), MLE(sst, VSET(40.0))));
        fast = MAND(fast, MAND(MLE(VABS(r * T), VSET(200.0)), MLE(VABS(q * T), VSET(200.0))));
        if (MBITS(fast) != KV_ALL) {
            S = SEL(fast, S, VSET(1.0));
            K = SEL(fast, K, VSET(1.0));
            T = SEL(fast, T, VSET(1.0));
            r = SEL(fast, r, VSET(0.0));
            q = SEL(fast, q, VSET(0.0));
            vol = SEL(fast, vol, VSET(0.2));
            sqt = SEL(fast, sqt, VSET(1.0));
            sst = SEL(fast, sst, VSET(0.2));
        }
        fastb |= (uint64_t)MBITS(fast) << j;
        VST(S_ + j, S), VST(K_ + j, K), VST(T_ + j, T), VST(r_ + j, r), VST(q_ + j, q);
        VST(v_ + j, vol), VST(sqt_ + j, sqt);
        /* one reciprocal for those of K, sigma sqrt(T) and S (a few
         * roundings more than bs.c's divisions, in range by the guards:
         * divisions are the slowest vector operations here) */
        V inv = VRECIP(K * S * sst);
        VST(inv_ + j, inv);
        /* keel_log_ratio(): log1p((S - K) / K) for S / K in [1/2, 2], else
         * log(S / K) */
        M near = MAND(MGE(S, VSET(0.5) * K), MLE(S, VSET(2.0) * K));
        unsigned nb = MBITS(near);
        nearb |= (uint64_t)nb << j;
        if (nb != 0)
            VST(a1_ + j, (S - K) * (inv * S * sst));
        if (nb != KV_ALL)
            VST(a2_ + j, S / K);
        VST(mq_ + j, -q * T);
        VST(mr_ + j, -r * T);
    }
    /* stage 2: the calls */
    for (size_t v = 0; v < nv; v++) {
        size_t j = v * KV_W;
        unsigned nb = (unsigned)(nearb >> j) & KV_ALL;
        if (nb == KV_ALL)
            VST(a1_ + j, VLOG1P(VLD(a1_ + j)));
        else if (nb == 0)
            VST(a1_ + j, VLOG(VLD(a2_ + j)));
        else
            VST(a1_ + j, SEL(MFROMBITS(nb), VLOG1P(VLD(a1_ + j)), VLOG(VLD(a2_ + j))));
        VST(dq_ + j, VEXP(VLD(mq_ + j)));
        if (want_kd)
            VST(dr_ + j, VEXP(VLD(mr_ + j)));
    }
    /* stage 3: x, d1, d2 and the arguments of erfc, exp and expm1 */
    for (size_t v = 0; v < nv; v++) {
        size_t j = v * KV_W;
        V S = VLD(S_ + j), K = VLD(K_ + j), T = VLD(T_ + j), r = VLD(r_ + j), q = VLD(q_ + j);
        V sst = VLD(v_ + j) * VLD(sqt_ + j);
        V carry = (r - q) * T;
        V x = VLD(a1_ + j) + carry;
        M fast = MAND(MFROMBITS((unsigned)(fastb >> j) & KV_ALL), MLT(VABS(x), VSET(8.0) * sst));
        fastb = (fastb & ~((uint64_t)KV_ALL << j)) | ((uint64_t)MBITS(fast) << j);
        V h = x * (VLD(inv_ + j) * K * S);
        V d1 = h + VSET(0.5) * sst;
        V d2 = d1 - sst;
        VST(x_ + j, x);
        VST(d1_ + j, d1);
        VST(e1_ + j, VABS(d1) * VSET(INV_SQRT_2));
        VST(e2_ + j, VABS(d2) * VSET(INV_SQRT_2));
        if (want_pd1)
            VST(pd_ + j, VSET(-0.5) * d1 * d1);
        if (want_value) {
            M put = VLOAD_PUT(ty + i + j);
            M xle0 = MLE(x, VSET(0.0));
            M itm = SEL_M(put, xle0, MNOT(xle0));
            M neark = MAND(itm, MAND(MGE(S, VSET(0.5) * K), MLE(S, VSET(2.0) * K)));
            unsigned gb = MBITS(neark);
            gapb |= (uint64_t)gb << j;
            if (gb)
                VST(em_ + j, carry);
        }
    }
    /* stage 4: the calls */
    for (size_t v = 0; v < nv; v++) {
        size_t j = v * KV_W;
        if (want_n1)
            VST(e1_ + j, VSET(0.5) * VERFC(VLD(e1_ + j)));
        if (want_n2)
            VST(e2_ + j, VSET(0.5) * VERFC(VLD(e2_ + j)));
        if (want_pd1)
            VST(pd_ + j, VSET(KEEL_INV_SQRT_2PI) * VEXP(VLD(pd_ + j)));
        if ((gapb >> j) & KV_ALL)
            VST(em_ + j, VEXPM1(VLD(em_ + j)));
    }
    /* stage 5: the formulas of bs.c's kernel */
    for (size_t v = 0; v < nv; v++) {
        size_t j = v * KV_W;
        M put = VLOAD_PUT(ty + i + j);
        V S = VLD(S_ + j), K = VLD(K_ + j), T = VLD(T_ + j), r = VLD(r_ + j), q = VLD(q_ + j);
        V vol = VLD(v_ + j), sqt = VLD(sqt_ + j), sst = vol * sqt;
        V x = VLD(x_ + j), d1 = VLD(d1_ + j), d2 = d1 - sst;
        V dq = VLD(dq_ + j), sd = S * dq;
        V kd = VSET(0.0);
        if (want_kd)
            kd = K * VLD(dr_ + j);
        /* N(d) and N(-d), as bs.c's ncdf_pair: the smaller from erfc, the
         * other as 1 minus it */
        V n1 = VSET(0.0), m1 = n1, n2 = n1, m2 = n1, value = n1;
        if (want_n1) {
            V small = VLD(e1_ + j), big = VSET(1.0) - small;
            M neg = MLT(d1, VSET(0.0));
            n1 = SEL(neg, small, big);
            m1 = SEL(neg, big, small);
        }
        if (want_n2) {
            V small = VLD(e2_ + j), big = VSET(1.0) - small;
            M neg = MLT(d2, VSET(0.0));
            n2 = SEL(neg, small, big);
            m2 = SEL(neg, big, small);
        }
        if (want_value) {
            /* the out-of-the-money side directly, the other by parity */
            M xle0 = MLE(x, VSET(0.0));
            V otm = SEL(xle0, sd * n1 - kd * n2, kd * m2 - sd * m1);
            M itm = SEL_M(put, xle0, MNOT(xle0));
            value = otm;
            if (MBITS(itm) != 0) {
                /* keel_forward_gap() */
                V g = sd - kd;
                unsigned gb = (unsigned)(gapb >> j) & KV_ALL;
                if (gb) {
                    V a = (S - K) * dq + kd * VLD(em_ + j);
                    g = SEL(MAND(MFROMBITS(gb), MLT(VABS(a), VSET(__builtin_inf()))), a, g);
                }
                M xgt0 = MGT(x, VSET(0.0)), xlt0 = MLT(x, VSET(0.0));
                V gap = SEL(xgt0, VMAX(g, VSET(0.0)), SEL(xlt0, VMIN(g, VSET(0.0)), VSET(0.0)));
                value = SEL(itm, otm + SEL(put, -gap, gap), otm);
            }
            if (need & KEEL_BSO_VALUE)
                VST(out[0] + i + j, value);
        }
        V a1 = SEL(put, m1, n1);
        if (need & KEEL_BSO_DELTA) {
            V dl = dq * a1;
            VST(out[1] + i + j, SEL(put, -dl, dl));
        }
        if (need & KEEL_BSO_RHO) {
            V t = T * kd * SEL(put, m2, n2);
            VST(out[5] + i + j, SEL(put, -t, t));
        }
        if (need & KEEL_BSO_DRHO) {
            V t = T * sd * a1;
            VST(out[6] + i + j, SEL(put, t, -t));
        }
        if (want_pd1) {
            V pd1 = VLD(pd_ + j);
            V vega = sd * pd1 * sqt;
            V inv = VLD(inv_ + j);
            if (need & KEEL_BSO_GAMMA)
                VST(out[2] + i + j, dq * pd1 * (inv * K));
            if (need & KEEL_BSO_VEGA)
                VST(out[3] + i + j, vega);
            if (need & KEEL_BSO_THETA) {
                /* vol / (2 sqrt(T)) = vol^2 / (2 sigma sqrt(T)) */
                V decay = -sd * pd1 * (VSET(0.5) * vol * vol * (inv * K * S));
                V w = SEL(put, -value, value);
                V cp = KV(carry_part)(q, r, sd, kd, a1, SEL(put, m2, n2), w);
                VST(out[4] + i + j, decay + SEL(put, -cp, cp));
            }
            if (need & KEEL_BSO_VANNA)
                VST(out[7] + i + j, -dq * pd1 * d2 / vol);
            if (need & KEEL_BSO_VOLGA)
                VST(out[8] + i + j, vega * d1 * d2 / vol);
            if (need & KEEL_BSO_CHARM) {
                V cc = -dq * pd1 * (VSET(2.0) * (r - q) * T - d2 * sst) / (VSET(2.0) * T * sst);
                V t = q * dq * a1;
                VST(out[9] + i + j, SEL(put, -t, t) + cc);
            }
        }
    }
    uint64_t all = nv * KV_W >= 64 ? ~(uint64_t)0 : (((uint64_t)1 << (nv * KV_W)) - 1);
    return fastb ^ all;
}

/* Options i to i + n - 1 (n <= KV_NC) from a copy of their inputs, padded
 * to whole vectors with a harmless option (so that an option's result does
 * not depend on its place in the batch), results through a copy too: the
 * lanes handed to the scalar kernel read the copy, so an output array that
 * is also an input array (written in place) does not feed them results. */
static KV_ATTR void KV(copied)(const keel_bs_in *in, size_t i, size_t n, double *const out[10],
                               keel_bs_first *first, unsigned need)
{
    size_t nv = (n + KV_W - 1) / KV_W;
    keel_option_type pty[KV_NC];
    _Alignas(64) double pin[6][KV_NC], pout[10][KV_NC];
    const double *src[6] = { in->S, in->K, in->T, in->r, in->q, in->vol };
    static const double pad[6] = { 1.0, 1.0, 1.0, 0.0, 0.0, 0.2 };
    for (size_t j = 0; j < nv * KV_W; j++) {
        pty[j] = j < n ? in->type[i + j] : KEEL_CALL;
        for (int k = 0; k < 6; k++)
            pin[k][j] = j < n ? src[k][i + j] : pad[k];
    }
    double *lo[10];
    for (int m = 0; m < 10; m++)
        lo[m] = out[m] ? pout[m] : NULL;
    uint64_t slow = KV(chunk)((const int *)(const void *)pty, pin[0], pin[1], pin[2], pin[3],
                              pin[4], pin[5], 0, nv, lo, need);
    slow &= n >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << n) - 1u;
    keel_bs_in li = { pty, pin[0], pin[1], pin[2], pin[3], pin[4], pin[5] };
    keel_bs_first lf = { n, 0 };
    while (slow) {
        keel_bs_lane(&li, (size_t)__builtin_ctzll(slow), lo, &lf);
        slow &= slow - 1;
    }
    for (int m = 0; m < 10; m++)
        if (out[m])
            memcpy(out[m] + i, pout[m], n * sizeof(double));
    if (lf.index < n && i + lf.index < first->index) {
        first->index = i + lf.index;
        first->limits = lf.limits;
    }
}

KV_ATTR void KV(keel_bs_batch)(size_t count, const keel_bs_in *in, double *const out[10],
                               keel_bs_first *first)
{
    unsigned need = 0;
    for (int m = 0; m < 10; m++)
        if (out[m])
            need |= 1u << m;
    const int *ty = (const int *)(const void *)in->type;
    size_t i = 0;
    if (keel_bs_out_overlaps_in(count, in, out)) {
        for (; i < count; i += KV_NC)
            KV(copied)(in, i, count - i < KV_NC ? count - i : KV_NC, out, first, need);
        return;
    }
    for (; i + KV_NC <= count; i += KV_NC) {
        uint64_t slow = KV(chunk)(ty, in->S, in->K, in->T, in->r, in->q, in->vol, i,
                                  KV_NC / KV_W, out, need);
        while (slow) {
            keel_bs_lane(in, i + (size_t)__builtin_ctzll(slow), out, first);
            slow &= slow - 1;
        }
    }
    /* the last count % KV_NC options */
    if (i < count)
        KV(copied)(in, i, count - i, out, first, need);
}

KV_ATTR bool KV(keel_bs_valid)(size_t count, const keel_bs_in *in)
{
    return keel_bs_valid_loop(count, in);
}

#undef KV
#undef KV_CAT
#undef KV_CAT2
