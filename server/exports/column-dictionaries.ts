/**
 * The words of every export, as data in both languages: per export its
 * sheet name, its file name and each column (the JSON field it shows, its
 * type and its header in Chinese and English). Chinese is the default
 * (planning and street offices keep their tables in Chinese); `lang=en`
 * picks the English. Headers may hold `{minutes}` and `{kind}`, filled from
 * the answer. column-dictionaries.test.ts checks that no entry lacks either
 * language or has placeholders the other lacks.
 */
import type { ColumnType, TableFormat } from './table.ts';

/** The languages an export's headers come in. */
export const EXPORT_LANGS = ['zh', 'en'] as const;
export type ExportLang = (typeof EXPORT_LANGS)[number];

/** A text in both languages. */
export type Words = Record<ExportLang, string>;

/** One column: the answer's field, how it is written, its header. */
export interface ColumnWords extends Words {
  key: string;
  type: ColumnType;
}

/** Added to a share's header in CSV, which has no percent format: the values there are 0 to 1. */
export const SHARE_UNIT: Words = { zh: '（0–1）', en: ' (0–1)' };

/** The row after the units, with the whole level's figures. */
export const TOTAL_LABEL: Words = { zh: '合计', en: 'Total' };

/** Levels in file names. */
export const LEVEL_WORDS: Record<string, Words> = {
  city: { zh: '全市', en: 'city' },
  district: { zh: '区县', en: 'district' },
  street: { zh: '街道乡镇', en: 'street' },
  community: { zh: '社区', en: 'community' },
  grid: { zh: '网格', en: 'grid' },
};

const code: ColumnWords = { key: 'code', type: 'text', zh: '代码', en: 'Code' };
const name: ColumnWords = { key: 'name', type: 'text', zh: '名称', en: 'Name' };
const households: ColumnWords = { key: 'households', type: 'count', zh: '户数', en: 'Households' };

/** GET /api/coverage: one row per unit, then the total. */
export const COVERAGE_EXPORT = {
  sheet: { zh: '覆盖率', en: 'Coverage' },
  file: { zh: '覆盖率', en: 'coverage' },
  /** File name parts: the threshold, and a scenario's id. */
  minutes: { zh: '{minutes}分钟', en: '{minutes}min' },
  scenario: { zh: '方案{id}', en: 'scenario-{id}' },
  columns: [
    code,
    name,
    households,
    { key: 'covered', type: 'count', zh: '{minutes} 分钟内已覆盖户数', en: 'Covered within {minutes} min' },
    { key: 'share', type: 'share', zh: '{minutes} 分钟覆盖率', en: 'Share within {minutes} min' },
    { key: 'p90_walk_s', type: 'seconds', zh: '90% 住户的步行时间（秒）', en: 'P90 walk (s)' },
    { key: 'max_walk_s', type: 'seconds', zh: '最长步行时间（秒）', en: 'Longest walk (s)' },
    { key: 'beyond_15', type: 'count', zh: '超过 15 分钟的户数', en: 'Households beyond 15 min' },
    { key: 'unreachable', type: 'count', zh: '无可达服务中心的户数', en: 'Households reaching no center' },
  ] satisfies ColumnWords[],
  /** With a scenario: what each unit had before it, and what it gains and loses. */
  scenarioColumns: [
    { key: 'covered_before', type: 'count', zh: '现状已覆盖户数', en: 'Covered today' },
    { key: 'gained', type: 'count', zh: '方案新增覆盖户数', en: 'Gained by the scenario' },
    { key: 'lost', type: 'count', zh: '方案失去覆盖户数', en: 'Lost by the scenario' },
  ] satisfies ColumnWords[],
};

/**
 * GET /api/standard: one row per unit, then the total. The columns follow
 * the answer's tiers: per tier the households meeting every checked kind,
 * then per kind those within the tier's walk of one (`{kind}` is the
 * kind's name from kernel/life-circle-standard.json, in the same language).
 */
export const STANDARD_EXPORT = {
  sheet: { zh: '生活圈达标', en: 'GB 50180 check' },
  file: { zh: '生活圈达标', en: 'standard-gb50180' },
  lead: [code, name, households] satisfies ColumnWords[],
  tier: [
    { key: 'met', type: 'count', zh: '{minutes} 分钟生活圈达标户数', en: '{minutes}-min circle: households meeting it' },
    { key: 'share', type: 'share', zh: '{minutes} 分钟生活圈达标率', en: '{minutes}-min circle: share meeting it' },
  ] satisfies ColumnWords[],
  kind: [
    { key: 'met', type: 'count', zh: '{minutes} 分钟内可达{kind}的户数', en: '{kind} within {minutes} min: households' },
    { key: 'share', type: 'share', zh: '{minutes} 分钟内可达{kind}的比例', en: '{kind} within {minutes} min: share' },
  ] satisfies ColumnWords[],
  all: [
    { key: 'met', type: 'count', zh: '各级生活圈均达标户数', en: 'Households meeting every tier' },
    { key: 'share', type: 'share', zh: '各级生活圈均达标率', en: 'Share meeting every tier' },
  ] satisfies ColumnWords[],
};

/** GET /api/scenarios/{id}: the scenario against the live centers, one row per life circle (its summary's circles). */
export const SCENARIO_EXPORT = {
  sheet: { zh: '方案对比', en: 'Scenario comparison' },
  file: { zh: '方案{id}对比', en: 'scenario-{id}-comparison' },
  columns: [
    { key: 'minutes', type: 'minutes', zh: '生活圈（分钟）', en: 'Life circle (min)' },
    { key: 'households_before', type: 'count', zh: '现状覆盖户数', en: 'Households covered today' },
    { key: 'households_after', type: 'count', zh: '方案覆盖户数', en: 'Households covered with the scenario' },
    { key: 'gained', type: 'count', zh: '新增覆盖户数', en: 'Households gained' },
    { key: 'lost', type: 'count', zh: '失去覆盖户数', en: 'Households lost' },
    { key: 'share_before', type: 'share', zh: '现状覆盖率', en: 'Share today' },
    { key: 'share_after', type: 'share', zh: '方案覆盖率', en: 'Share with the scenario' },
    { key: 'persons_before', type: 'count', zh: '现状覆盖人口', en: 'Persons covered today' },
    { key: 'persons_after', type: 'count', zh: '方案覆盖人口', en: 'Persons covered with the scenario' },
  ] satisfies ColumnWords[],
};

/** Every dictionary, for the test that both languages are there. */
export const EXPORT_DICTIONARIES = { COVERAGE_EXPORT, STANDARD_EXPORT, SCENARIO_EXPORT, LEVEL_WORDS, TOTAL_LABEL, SHARE_UNIT };

/** `words` in `lang` with its `{name}` placeholders filled. */
export function wordsIn(words: Words, lang: ExportLang, vars: Record<string, string | number> = {}): string {
  return words[lang].replace(/\{(\w+)\}/g, (whole, key: string) => (key in vars ? String(vars[key]) : whole));
}

/** A column's header in `lang`, filled; a share's header says 0-1 in CSV, which has no percent format. */
export function headerOf(column: ColumnWords, lang: ExportLang, format: TableFormat, vars: Record<string, string | number> = {}): string {
  const header = wordsIn(column, lang, vars);
  return column.type === 'share' && format === 'csv' ? header + SHARE_UNIT[lang] : header;
}
