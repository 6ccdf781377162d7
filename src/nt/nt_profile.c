/* Access to the generated offset profiles (nt_profile_table.c). Every lookup tolerates a
 * missing profile and out-of-range ids, because ids may come from computed values and a dump
 * of an unsupported build has no profile at all. */
#include "nt_profile.h"

const nt_profile *nt_profile_for_build(uint32_t build)
{
    size_t i;
    /* Exact match only: a neighbouring build's offsets are a guess, and guesses produce
     * plausible-looking nonsense in a report. */
    for (i = 0; i < nt_profile_table_count; i++)
        if (nt_profile_table[i].build == build)
            return &nt_profile_table[i];
    return NULL;
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
