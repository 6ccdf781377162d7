/* SPDX-License-Identifier: MIT */
/* Access to the generated offset profiles (nt_profile_table.c). Every lookup tolerates a
 * missing profile and out-of-range ids, because ids may come from computed values and a dump
 * of an unsupported build has no profile at all. */
#include "nt_profile.h"

#include <string.h>

const nt_profile *nt_profile_for_build(uint32_t build)
{
    size_t i;
    /* Exact release build only: a neighbouring build's offsets are a guess, and guesses
     * produce plausible-looking nonsense in a report. The table is sorted, so the first
     * match is the earliest update level. */
    for (i = 0; i < nt_profile_table_count; i++)
        if (nt_profile_table[i].build == build)
            return &nt_profile_table[i];
    return NULL;
}

uint32_t nt_kernel_build_of(uint32_t release)
{
    const nt_profile *p = nt_profile_for_build(release);
    if (p)
        return p->kernel;
    for (size_t i = 0; i < nt_build_alias_count; i++)
        if (nt_build_aliases[i].release == release)
            return nt_profile_for_build(nt_build_aliases[i].kernel) ? nt_build_aliases[i].kernel : 0;
    return 0;
}

/* How many of the kernel build's moves a revision is past: two revisions with the same
 * count have the same layout. */
static unsigned moves_passed(uint32_t kernel, uint32_t revision)
{
    unsigned n = 0;
    for (size_t i = 0; i < nt_update_move_count; i++)
        if (nt_update_moves[i].kernel == kernel && revision >= nt_update_moves[i].from_rev)
            n++;
    return n;
}

/* The data file for a revision: one at the same update-level step, preferring the dump's own
 * release build, else the latest one before the revision, else the earliest. */
static const nt_profile *pick_data(uint32_t release, uint32_t kernel, int32_t revision)
{
    const nt_profile *own = NULL, *same = NULL, *before = NULL, *first = NULL;
    for (size_t i = 0; i < nt_profile_table_count; i++) {
        const nt_profile *p = &nt_profile_table[i];
        if (p->kernel != kernel)
            continue;
        if (!first || p->revision < first->revision)
            first = p;
        if (p->build == release && !own)
            own = p;
        if (revision < 0)
            continue;
        if (moves_passed(kernel, p->revision) == moves_passed(kernel, (uint32_t)revision) &&
            (!same || (p->build == release && same->build != release)))
            same = p;
        if (p->revision <= (uint32_t)revision && (!before || p->revision > before->revision))
            before = p;
    }
    if (revision < 0)
        return own ? own : first;
    return same ? same : before ? before : first;
}

static const nt_profile *earliest_of(uint32_t kernel)
{
    const nt_profile *first = NULL;
    for (size_t i = 0; i < nt_profile_table_count; i++)
        if (nt_profile_table[i].kernel == kernel && (!first || nt_profile_table[i].revision < first->revision))
            first = &nt_profile_table[i];
    return first;
}

int nt_profile_choose(uint32_t release, int32_t revision, nt_profile_choice *out)
{
    memset(out, 0, sizeof *out);
    uint32_t kernel = nt_kernel_build_of(release);
    if (!kernel)
        return -1;
    const nt_profile *data = pick_data(release, kernel, revision), *first = earliest_of(kernel);
    out->data = data;
    out->revision_known = revision >= 0;
    out->prof = *data;
    memcpy(out->fields, data->fields, sizeof out->fields);
    memcpy(out->sizes, data->struct_sizes, sizeof out->sizes);
    out->prof.fields = out->fields;
    out->prof.struct_sizes = out->sizes;
    for (size_t i = 0; i < nt_update_move_count; i++) {
        const nt_update_move *mv = &nt_update_moves[i];
        if (mv->kernel != kernel)
            continue;
        int id_ok_ = mv->is_size ? mv->id < NT_S__COUNT : mv->id < NT_F__COUNT;
        if (!id_ok_)
            continue;
        if (revision < 0) {
            /* The place depends on an update level nobody knows: no guess. */
            if (mv->is_size)
                out->sizes[mv->id] = 0;
            else
                out->fields[mv->id].present = 0;
            const char *name = mv->is_size ? nt_struct_names[mv->id] : nt_field_names[mv->id];
            int seen = 0;
            for (unsigned k = 0; k < out->nunsure; k++)
                seen |= out->unsure[k] == name;
            if (!seen && out->nunsure < sizeof out->unsure / sizeof out->unsure[0])
                out->unsure[out->nunsure++] = name;
        } else if ((uint32_t)revision >= mv->from_rev) {
            if (mv->is_size)
                out->sizes[mv->id] = mv->after.offset;
            else
                out->fields[mv->id] = mv->after;
        } else if (mv->is_size) {
            out->sizes[mv->id] = first->struct_sizes[mv->id];
        } else {
            out->fields[mv->id] = first->fields[mv->id];
        }
    }
    return 0;
}

size_t nt_profile_count(void)
{
    return nt_profile_table_count;
}

const nt_profile *nt_profile_at(size_t index)
{
    return index < nt_profile_table_count ? &nt_profile_table[index] : NULL;
}

/* Ids are enums, whose signedness is implementation-defined: compare as unsigned so a
 * negative value can never index the tables. */
static int id_ok(int id, unsigned count)
{
    return id >= 0 && (unsigned)id < count;
}

const nt_field *nt_field_get(const nt_profile *p, nt_field_id id)
{
    const nt_field *f;
    if (!p || !id_ok((int)id, NT_F__COUNT))
        return NULL;
    f = &p->fields[id];
    return f->present ? f : NULL;
}

uint32_t nt_struct_size(const nt_profile *p, nt_struct_id id)
{
    if (!p || !id_ok((int)id, NT_S__COUNT))
        return 0;
    return p->struct_sizes[id];
}

int32_t nt_enum_value(const nt_profile *p, nt_enum_id id)
{
    if (!p || !id_ok((int)id, NT_E__COUNT))
        return NT_ENUM_INVALID;
    return p->enum_values[id];
}

const char *nt_enum_name(const nt_profile *p, nt_enum_kind kind, int32_t value)
{
    int i;
    if (!p || !id_ok((int)kind, NT_EK__COUNT))
        return NULL;
    /* Values are per build, names per id: scan the kind's ids for the value. First match
     * wins, so an alias (two names, one value) reports the name listed first. */
    for (i = 0; i < NT_E__COUNT; i++)
        if (nt_enum_kind_of[i] == (uint8_t)kind && p->enum_values[i] == value)
            return nt_enum_names[i];
    return NULL;
}

uint64_t nt_field_bits(const nt_field *f, uint64_t raw)
{
    if (!f || f->bit_width == 0)
        return raw;
    if (f->bit_pos >= 64)
        return 0; /* only a damaged table can say this; shifting by it would be undefined */
    raw >>= f->bit_pos;
    /* A 64-bit-wide field would make the mask shift undefined; it needs no mask anyway. */
    if (f->bit_width < 64)
        raw &= ((uint64_t)1 << f->bit_width) - 1;
    return raw;
}

const char *nt_field_name(nt_field_id id)
{
    return id_ok((int)id, NT_F__COUNT) ? nt_field_names[id] : NULL;
}

int nt_field_is_optional(nt_field_id id)
{
    return id_ok((int)id, NT_F__COUNT) ? nt_field_optional[id] != 0 : 0;
}

const char *nt_struct_name(nt_struct_id id)
{
    return id_ok((int)id, NT_S__COUNT) ? nt_struct_names[id] : NULL;
}

const char *nt_enum_kind_name(nt_enum_kind kind)
{
    return id_ok((int)kind, NT_EK__COUNT) ? nt_enum_kind_names[kind] : NULL;
}

const char *nt_enum_id_name(nt_enum_id id)
{
    return id_ok((int)id, NT_E__COUNT) ? nt_enum_names[id] : NULL;
}
