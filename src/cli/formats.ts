/**
 * Every `--format`, by name: each a function of the reports alone.
 * @internal
 */
import { githubWriter } from './github-format';
import { junitWriter } from './junit-format';
import { FormatWriter, jsonWriter, mermaidWriter, tableWriter } from './report-format';
import { sarifWriter } from './sarif-format';

/** @internal */
export const FORMATS: { readonly [format: string]: FormatWriter } = {
  table: tableWriter,
  json: jsonWriter,
  mermaid: mermaidWriter,
  sarif: sarifWriter,
  junit: junitWriter,
  github: githubWriter,
};
