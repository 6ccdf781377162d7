/* SPDX-License-Identifier: MIT */
/* Text helpers of the public API: dependency versions, UTF-8-clean names, JSON strings. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dumpinspect/dumpinspect.h"
#include "util/error.h"
#include "io/io_file.h"
#include "io/io_name.h"
#include "io/io_os.h"

/* A folder of more files than this is refused rather than listed. */
#define DI_LIST_MAX 1000000u

const char *di_dependency_versions(void)
{
    static char text[160];
    snprintf(text, sizeof text, "zlib %s, cJSON %s, libarchive %s", io_zlib_version(), cJSON_Version(),
             io_libarchive_version());
    return text;
}

char *di_utf8_clean(const char *s) { return s ? io_display_name(s) : NULL; }

char *di_json_quote(const char *s)
{
    char *clean = di_utf8_clean(s ? s : "");
    cJSON *str = clean ? cJSON_CreateString(clean) : NULL;
    char *printed = str ? cJSON_PrintUnformatted(str) : NULL;
    cJSON_Delete(str);
    free(clean);
    if (!printed)
        return NULL;
    /* cJSON's allocator may differ from free(): hand back memory di_free can release. */
    size_t n = strlen(printed) + 1;
    char *out = malloc(n);
    if (out)
        memcpy(out, printed, n);
    cJSON_free(printed);
    return out;
}

di_status di_list_dir(const char *dir, char ***paths, size_t *count, di_error *err)
{
    if (!dir || !paths || !count)
        return di_fail(err, DI_E_ARG, "di_list_dir: bad arguments");
    *paths = NULL;
    *count = 0;
    return io_os_list_dir(dir, DI_LIST_MAX, paths, count, err);
}

void di_free_list(char **paths, size_t count) { io_os_free_list(paths, count); }

FILE *di_fopen_write(const char *path) { return io_os_fopen_write(path); }
int di_stderr_is_terminal(void) { return io_os_stderr_is_terminal(); }
double di_monotonic_seconds(void) { return io_os_now(); }
