/* TEST-ONLY stub for running the Windows bundle under wine 8, which has no system ICU (icuuc.dll, part of
 * Windows 10 1903+). Qt6Core imports the ucnv_* converter functions from it for codecs beyond UTF-8/16 and Latin-1;
 * this stub makes every converter unavailable (ucnv_open fails with U_FILE_ACCESS_ERROR), so Qt falls back to its own
 * codecs. Built by packaging/windows/build.sh into the wine prefix's system32 only; never part of the bundle or
 * installer. */
#include <stddef.h>
#include <stdint.h>

typedef int UErrorCode;
#define U_FILE_ACCESS_ERROR 4

static void fail(UErrorCode *err)
{
    if (err != NULL && *err <= 0)
        *err = U_FILE_ACCESS_ERROR;
}

void *ucnv_open(const char *name, UErrorCode *err) { (void)name; fail(err); return NULL; }
void ucnv_close(void *cnv) { (void)cnv; }
void ucnv_reset(void *cnv) { (void)cnv; }
int8_t ucnv_getMaxCharSize(const void *cnv) { (void)cnv; return 1; }
const char *ucnv_getName(const void *cnv, UErrorCode *err) { (void)cnv; fail(err); return NULL; }
void ucnv_getToUCallBack(const void *cnv, void **action, const void **context)
{
    (void)cnv;
    if (action) *action = NULL;
    if (context) *context = NULL;
}
void ucnv_getFromUCallBack(const void *cnv, void **action, const void **context)
{
    (void)cnv;
    if (action) *action = NULL;
    if (context) *context = NULL;
}
void ucnv_setToUCallBack(void *cnv, void *n, const void *c, void **oa, const void **oc, UErrorCode *err)
{
    (void)cnv; (void)n; (void)c; (void)oa; (void)oc; fail(err);
}
void ucnv_setFromUCallBack(void *cnv, void *n, const void *c, void **oa, const void **oc, UErrorCode *err)
{
    (void)cnv; (void)n; (void)c; (void)oa; (void)oc; fail(err);
}
void ucnv_cbToUWriteUChars(void *args, const void *source, int32_t length, int32_t offset, UErrorCode *err)
{
    (void)args; (void)source; (void)length; (void)offset; fail(err);
}
void ucnv_cbFromUWriteUChars(void *args, const void **source, const void *limit, int32_t offset, UErrorCode *err)
{
    (void)args; (void)source; (void)limit; (void)offset; fail(err);
}
void ucnv_toUnicode(void *cnv, void **t, const void *tl, const char **s, const char *sl, int32_t *o, int8_t f,
                    UErrorCode *err)
{
    (void)cnv; (void)t; (void)tl; (void)s; (void)sl; (void)o; (void)f; fail(err);
}
void ucnv_fromUnicode(void *cnv, char **t, const char *tl, const void **s, const void *sl, int32_t *o, int8_t f,
                      UErrorCode *err)
{
    (void)cnv; (void)t; (void)tl; (void)s; (void)sl; (void)o; (void)f; fail(err);
}
int32_t ucnv_toUCountPending(const void *cnv, UErrorCode *err) { (void)cnv; fail(err); return 0; }
int32_t ucnv_fromUCountPending(const void *cnv, UErrorCode *err) { (void)cnv; fail(err); return 0; }
const char *ucnv_getStandardName(const char *name, const char *standard, UErrorCode *err)
{
    (void)name; (void)standard; fail(err); return NULL;
}
const char *ucnv_getAvailableName(int32_t n) { (void)n; return NULL; }
int32_t ucnv_countAvailable(void) { return 0; }
void UCNV_FROM_U_CALLBACK_SUBSTITUTE(void) {}
void UCNV_TO_U_CALLBACK_SUBSTITUTE(void) {}
