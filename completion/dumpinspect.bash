# SPDX-License-Identifier: MIT
# bash completion for dumpinspect                                   -*- shell-script -*-
# Installed to share/bash-completion/completions/dumpinspect by `cmake --install`.

_dumpinspect()
{
    local cur prev cmd i
    COMPREPLY=()
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}

    cmd=report
    if [[ $COMP_CWORD -gt 1 ]]; then
        case ${COMP_WORDS[1]} in
            read|translate|report) cmd=${COMP_WORDS[1]} ;;
        esac
    fi

    case $prev in
        -o|--output)
            COMPREPLY=($(compgen -f -- "$cur")); return ;;
        --batch)
            COMPREPLY=($(compgen -d -- "$cur")); return ;;
        --format)
            COMPREPLY=($(compgen -W 'json text line' -- "$cur")); return ;;
        --fail-on)
            COMPREPLY=($(compgen -W 'info low medium high critical' -- "$cur")); return ;;
        --limit)
            COMPREPLY=($(compgen -S = -W 'spool_bytes bitmap_bytes ranges pages_read model_bytes
                list_steps processes threads modules resources owners_per_resource
                waiters_per_resource lock_entries total_steps' -- "$cur"))
            compopt -o nospace 2>/dev/null
            return ;;
        --member|--pa|--va|--cr3|--length)
            return ;;
    esac

    if [[ $cur == -* ]]; then
        local opts='-o --output --compact --limit --member --progress --no-progress -h --help --version'
        case $cmd in
            report) opts+=' --format --all-locks --all-threads --fail-on --allow-partial --batch' ;;
            read) opts+=' --pa --va --cr3 --length' ;;
            translate) opts+=' --va --cr3' ;;
        esac
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
        return
    fi

    if [[ $COMP_CWORD -eq 1 ]]; then
        COMPREPLY=($(compgen -W 'report read translate' -- "$cur"))
    fi
    COMPREPLY+=($(compgen -f -- "$cur"))
} &&
    complete -o filenames -F _dumpinspect dumpinspect
