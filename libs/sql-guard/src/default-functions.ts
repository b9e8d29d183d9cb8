/**
 * Functions a segment query may call by default: pure computations over values. Anything that touches
 * the server, files, sessions, settings, locks, large objects or other databases stays off the list
 * (pg_sleep, pg_read_file, lo_import, dblink, set_config, current_setting, pg_advisory_lock,
 * query_to_xml, version, inet_server_addr, ...), as does `random` (a segment must be reproducible)
 * and `repeat` (one call can allocate a gigabyte).
 *
 * Names are as PostgreSQL's parser produces them: SQL-syntax forms arrive as functions too
 * (`EXTRACT(...)` is `extract`, `TRIM(... FROM x)` is `btrim`, `x AT TIME ZONE z` is `timezone`,
 * `LIKE ... ESCAPE` is `like_escape`, `SIMILAR TO` is `similar_to_escape`), while COALESCE, NULLIF,
 * GREATEST, LEAST and CURRENT_DATE are expression nodes and need no entry. Cost (generate_series over
 * billions of rows, a slow regular expression) is bounded by the sandbox's timeout and EXPLAIN cap.
 */
const words = (text: string): string[] => text.split(' ');

const AGGREGATES = words(
  'count sum avg min max any_value stddev stddev_pop stddev_samp variance var_pop var_samp ' +
    'percentile_cont percentile_disc mode bool_and bool_or every bit_and bit_or array_agg string_agg ' +
    'json_agg jsonb_agg json_object_agg jsonb_object_agg corr covar_pop covar_samp regr_avgx ' +
    'regr_avgy regr_count regr_intercept regr_r2 regr_slope regr_sxx regr_sxy regr_syy',
);

const WINDOW = words(
  'row_number rank dense_rank percent_rank cume_dist ntile lag lead first_value last_value ' + 'nth_value',
);

const DATE_TIME = words(
  'now transaction_timestamp statement_timestamp date_trunc date_part extract age date_bin ' +
    'isfinite overlaps timezone make_date make_time make_timestamp make_timestamptz make_interval ' +
    'to_char to_date to_timestamp to_number justify_days justify_hours justify_interval date_add ' +
    'date_subtract',
);

const MATH = words(
  'abs round trunc floor ceil ceiling sign mod div power pow sqrt cbrt exp ln log log10 pi degrees ' +
    'radians gcd lcm scale trim_scale width_bucket',
);

const TEXT = words(
  'lower upper initcap length char_length character_length octet_length substr substring position ' +
    'strpos left right overlay btrim ltrim rtrim lpad rpad replace translate reverse split_part ' +
    'concat concat_ws format starts_with ascii chr regexp_like regexp_replace regexp_match ' +
    'regexp_matches regexp_count regexp_instr regexp_substr regexp_split_to_array like_escape ' +
    'similar_to_escape similar_escape string_to_array array_to_string',
);

const ARRAYS_AND_SETS = words(
  'array_length array_upper array_lower array_position array_positions array_remove array_append ' +
    'array_prepend array_cat cardinality unnest generate_series num_nulls num_nonnulls',
);

const JSON_ACCESS = words(
  'json_extract_path json_extract_path_text jsonb_extract_path jsonb_extract_path_text ' +
    'json_array_length jsonb_array_length json_typeof jsonb_typeof json_array_elements ' +
    'json_array_elements_text jsonb_array_elements jsonb_array_elements_text json_build_object ' +
    'jsonb_build_object json_build_array jsonb_build_array to_json to_jsonb',
);

/** Function-style casts (`date(x)`, `numeric(x)`): the parser sees a function call. */
const CASTS = words('date numeric text int2 int4 int8 float4 float8 bool');

export const DEFAULT_FUNCTIONS: ReadonlySet<string> = new Set([
  ...AGGREGATES,
  ...WINDOW,
  ...DATE_TIME,
  ...MATH,
  ...TEXT,
  ...ARRAYS_AND_SETS,
  ...JSON_ACCESS,
  ...CASTS,
]);
