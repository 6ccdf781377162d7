/* SPDX-License-Identifier: MIT */
/* An embedder's program, built against the installed library with pkg-config: opens a
 * dump, prints the bugcheck line of the text report and the library version. */
#include <stdio.h>
#include <string.h>

#include <dumpinspect/dumpinspect.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: embed DUMP\n");
        return 2;
    }
    if (strcmp(di_version(), DI_VERSION_STRING) != 0) {
        fprintf(stderr, "embed: header %s, library %s\n", DI_VERSION_STRING, di_version());
        return 1;
    }
    di_dump *d;
    di_error err;
    if (di_open(argv[1], &d, &err) != DI_OK) {
        fprintf(stderr, "embed: %s\n", err.message);
        return 1;
    }
    char *json = NULL;
    di_status st = di_report_json(d, NULL, &json, &err);
    int rc = st == DI_OK && strstr(json, "\"schema_version\"") ? 0 : 1;
    printf("dumpinspect %s: %zu bytes of JSON, highest severity %d\n", di_version(), json ? strlen(json) : 0,
           di_max_severity(d));
    di_free(json);
    di_close(d);
    return rc;
}
