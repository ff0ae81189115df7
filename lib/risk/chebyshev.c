/* Polynomials in t on [-1, 1] for the liquidation-price search, declared in
 * chebyshev.h: Chebyshev interpolation (exact for degree <= 5, up to
 * rounding) and real-root isolation (the derivative's roots, found
 * recursively, cut [-1, 1] into monotone intervals; then bisection). Why the
 * search interpolates is at the top of breakpoints.c. */
#include <math.h>

#include "chebyshev.h"
#include "math/kmath.h"

/* Agreement required at the check points, relative to the piece's scale. */
#define FIT_TOL 1e-10

static const double PI = 3.14159265358979323846;

double keel_poly_eval(const double *c, int n, double t)
{
    double r = c[n];
    for (int k = n - 1; k >= 0; k--)
        r = r * t + c[k];
    return r;
}

/* Monomial coefficients of the Chebyshev polynomials T_0 .. T_5. */
static const double CHEB[NODES][NODES] = {
    { 1, 0, 0, 0, 0, 0 },  { 0, 1, 0, 0, 0, 0 },   { -1, 0, 2, 0, 0, 0 },
    { 0, -3, 0, 4, 0, 0 }, { 1, 0, -8, 0, 8, 0 }, { 0, 5, 0, -20, 0, 16 },
};

/* The j-th interpolation node, cos((2j + 1) pi / 12), and the check points. */
double keel_cheb_node(int j)
{
    return cos((2 * j + 1) * PI / (2 * NODES));
}
const double keel_cheb_check[NCHECK] = { 0.0, 0.5, -0.5 };

/* The polynomial of degree <= 5 through (keel_cheb_node(j), y[j]), by the discrete
 * Chebyshev transform, into monomial coefficients c[0..5]. */
void keel_poly_fit(const double *y, double *c)
{
    double a[NODES];
    for (int k = 0; k < NODES; k++) {
        double sum = 0.0;
        for (int j = 0; j < NODES; j++)
            sum += y[j] * cos(k * (2 * j + 1) * PI / (2 * NODES));
        a[k] = (k == 0 ? 1.0 : 2.0) * sum / NODES;
    }
    for (int i = 0; i < NODES; i++) {
        c[i] = 0.0;
        for (int k = 0; k < NODES; k++)
            c[i] += a[k] * CHEB[k][i];
    }
}

/* Whether the fit c reproduces the checked values y_check at keel_cheb_check. */
bool keel_poly_fits(const double *c, const double *y_check)
{
    for (int i = 0; i < NCHECK; i++)
        if (!(fabs(keel_poly_eval(c, NODES - 1, keel_cheb_check[i]) - y_check[i]) <= FIT_TOL))
            return false;
    return true;
}

void keel_poly_mul(const double *a, int na, const double *b, int nb, double *out)
{
    for (int k = 0; k <= na + nb; k++)
        out[k] = 0.0;
    for (int i = 0; i <= na; i++)
        for (int j = 0; j <= nb; j++)
            out[i + j] += a[i] * b[j];
}

typedef struct sign_ctx {
    const double *c;
    int n;
    bool negative_at_lo;
} sign_ctx;

/* Whether c has left the sign it has at the bracket's low end (0 counts). */
static keel_status sign_changed(double t, void *vctx, bool *holds)
{
    const sign_ctx *s = vctx;
    double f = keel_poly_eval(s->c, s->n, t);
    *holds = f == 0.0 || (f < 0.0) != s->negative_at_lo;
    return KEEL_OK;
}

/* The real roots of c (degree <= n <= MAXDEG) in [-1, 1], increasing, into
 * out (room for MAXDEG + 2); returns their number. The roots of the
 * derivative (recursively) split [-1, 1] into intervals on which c is
 * monotone; each interval whose ends differ in sign holds one root, found
 * by bisection to adjacent doubles. */
int keel_poly_roots(const double *c, int n, double *out)
{
    while (n > 0 && c[n] == 0.0)
        n--;
    if (n == 0)
        return 0;
    double ends[MAXDEG + 2];
    int ne = 0;
    ends[ne++] = -1.0;
    if (n >= 2) {
        double dc[MAXDEG], crit[MAXDEG + 2];
        for (int k = 1; k <= n; k++)
            dc[k - 1] = k * c[k];
        int nc = keel_poly_roots(dc, n - 1, crit);
        for (int i = 0; i < nc; i++)
            if (crit[i] > ends[ne - 1] && crit[i] < 1.0)
                ends[ne++] = crit[i];
    }
    ends[ne++] = 1.0;
    int nr = 0;
    double flo = keel_poly_eval(c, n, ends[0]);
    if (flo == 0.0)
        out[nr++] = ends[0];
    for (int i = 0; i + 1 < ne; i++) {
        double lo = ends[i], hi = ends[i + 1], fhi = keel_poly_eval(c, n, hi);
        if (fhi == 0.0) {
            out[nr++] = hi;
        } else if (flo != 0.0 && (flo < 0.0) != (fhi < 0.0)) {
            sign_ctx sc = { c, n, flo < 0.0 };
            (void)keel_bisect(sign_changed, &sc, &lo, &hi, KEEL_TOL_ULP); /* cannot fail */
            out[nr++] = 0.5 * (lo + hi);
        }
        flo = fhi;
    }
    return nr;
}

/* Candidate points of a polynomial c of degree <= deg on [-1, 1]: its real
 * roots and those of its derivative (its turning points), appended to t. */
int keel_poly_candidates(const double *c, int deg, double *t, int nt)
{
    double dc[MAXDEG];
    for (int k = 1; k <= deg; k++)
        dc[k - 1] = k * c[k];
    nt += keel_poly_roots(c, deg, t + nt);
    if (deg >= 1)
        nt += keel_poly_roots(dc, deg - 1, t + nt);
    return nt;
}
