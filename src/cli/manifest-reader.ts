import { promises as fs } from 'fs';
import * as path from 'path';
import { LineCounter, parseAllDocuments } from 'yaml';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * One parsed document and where it came from.
 * @internal
 */
export interface InputDocument {
  readonly file: string;
  /** Index of the document in its file. */
  readonly document: number;
  /** 1-based line where the document starts. */
  readonly line: number;
  readonly value: any;
}

/**
 * Input that could not be read or parsed.
 * @internal
 */
export interface InputError {
  readonly file: string;
  /** 1-based; undefined when the file itself could not be read. */
  readonly line?: number;
  readonly message: string;
}

/** Name shown for standard input. */
const STDIN = '<stdin>';
const MANIFEST_FILE = /\.(ya?ml|json)$/;

/**
 * Reads files, directories (recursively: .yaml, .yml, .json) and `-`
 * (standard input); parses multi-document YAML (JSON is YAML), keeping every
 * readable document and a `file:line` for everything else.
 * @internal
 */
export async function readInputs(
  paths: readonly string[], stdin: () => Promise<string>,
): Promise<{ documents: InputDocument[]; errors: InputError[] }> {
  const documents: InputDocument[] = [];
  const errors: InputError[] = [];
  for (const input of paths) {
    if (input === '-') {
      parse(STDIN, await stdin(), documents, errors);
      continue;
    }
    let files: string[];
    try {
      files = (await fs.stat(input)).isDirectory() ? await manifestFiles(input) : [input];
    } catch (e: any) {
      errors.push({ file: input, message: `cannot read: ${e.code ?? e.message}` });
      continue;
    }
    for (const file of files) {
      try {
        parse(file, await fs.readFile(file, 'utf8'), documents, errors);
      } catch (e: any) {
        errors.push({ file, message: `cannot read: ${e.code ?? e.message}` });
      }
    }
  }
  return { documents, errors };
}

async function manifestFiles(dir: string): Promise<string[]> {
  const entries = (await fs.readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  const files: string[] = [];
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      files.push(...await manifestFiles(full));
    } else if (MANIFEST_FILE.test(entry.name)) {
      files.push(full);
    }
  }
  return files;
}

function parse(file: string, text: string, documents: InputDocument[], errors: InputError[]): void {
  const lines = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter: lines });
  const all = Array.isArray(parsed) ? parsed : [];
  all.forEach((doc, index) => {
    if (doc.errors.length > 0) {
      const error = doc.errors[0];
      errors.push({ file, line: lines.linePos(error.pos[0]).line, message: error.message.split('\n')[0] });
      return;
    }
    const value = doc.toJS({ maxAliasCount: 1000 });
    if (value !== null && value !== undefined) {
      documents.push({ file, document: index, line: lines.linePos(doc.range[0]).line, value });
    }
  });
}
