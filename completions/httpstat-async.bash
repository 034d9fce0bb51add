# bash completion for httpstat-async                       -*- shell-script -*-
#
# Installed as share/bash-completion/completions/httpstat-async, where
# bash-completion loads it on demand; or source it from ~/.bashrc.
# Works with bash-completion's helpers when they are loaded, and without.

# COMPREPLY: the words of list $1 that start with $2.
_httpstat_async_words()
{
    mapfile -t COMPREPLY < <(compgen -W "$1" -- "$2")
}

# COMPREPLY: file names that start with $1.
_httpstat_async_files()
{
    if declare -F _filedir >/dev/null 2>&1; then
        cur=$1 _filedir
    else
        compopt -o filenames 2>/dev/null
        mapfile -t COMPREPLY < <(compgen -f -- "$1")
    fi
}

_httpstat_async()
{
    local cur prev words cword split=false i
    if declare -F _init_completion >/dev/null 2>&1; then
        _init_completion -s || return
    else
        COMPREPLY=()
        cur=${COMP_WORDS[COMP_CWORD]}
        prev=${COMP_WORDS[COMP_CWORD-1]}
        words=("${COMP_WORDS[@]}")
        cword=$COMP_CWORD
        # --opt=value: complete the value of --opt (bash splits at '='
        # when COMP_WORDBREAKS holds it, as it does by default)
        if [[ $cur == = && $prev == --?* ]]; then
            cur=
            split=true
        elif [[ $prev == = && $cword -ge 2 ]]; then
            prev=${COMP_WORDS[cword-2]}
            split=true
        elif [[ $cur == --?*=* ]]; then
            prev=${cur%%=*}
            cur=${cur#*=}
            split=true
        fi
    fi

    # after "--" every word is a SOURCE
    for ((i = 1; i < cword; i++)); do
        if [[ ${words[i]} == -- ]]; then
            _httpstat_async_files "$cur"
            return
        fi
    done

    case $prev in
        --format)
            _httpstat_async_words 'text jsonl csv junit prom' "$cur"
            return
            ;;
        --order)
            _httpstat_async_words 'input completion' "$cur"
            return
            ;;
        --color | --progress)
            _httpstat_async_words 'auto always never' "$cur"
            return
            ;;
        -X | --method)
            _httpstat_async_words 'GET HEAD POST PUT DELETE OPTIONS PATCH' \
                "$cur"
            return
            ;;
        --cacert | -o | --output)
            _httpstat_async_files "$cur"
            return
            ;;
        --expect | --retry-on)
            _httpstat_async_words '2xx 3xx 4xx 5xx 200 204 301 302 404
                429,502,503,504 2xx,3xx' "$cur"
            return
            ;;
        --proxy)
            _httpstat_async_words 'http://' "$cur"
            [[ ${#COMPREPLY[@]} -gt 0 ]] && compopt -o nospace 2>/dev/null
            return
            ;;
        -c | --concurrency | -t | --timeout | -d | --deadline | -H | \
            --header | -A | --user-agent | --cert-min-days | --max-redirs | \
            --resolve | --shard | --dns-servers | --noproxy | --retries | \
            --per-host | --rate)
            # a value of the user's own
            return
            ;;
    esac

    $split && return

    if [[ $cur == -* ]]; then
        _httpstat_async_words '-c --concurrency -t --timeout -d --deadline
            -X --method -H --header -A --user-agent -k --insecure --cacert
            --cert-min-days --no-tls-resume -L --location --max-redirs
            --resolve --shard --dns-servers -4 -6 --proxy --noproxy --retries
            --retry-on --per-host --rate --expect --format --json -o --output
            --order -q --quiet --color --progress -V --version -h --help' \
            "$cur"
        return
    fi

    # a SOURCE: a list file (URLs are typed by hand)
    _httpstat_async_files "$cur"
} &&
    complete -F _httpstat_async httpstat-async

# ex: filetype=sh
