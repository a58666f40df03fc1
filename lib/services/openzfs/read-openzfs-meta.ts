import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { MetaRecordError, releaseFromCsvRow, releaseFromMeta, type MetaRelease } from "../../domain/openzfs-meta";
import { AppError } from "../errors";

export const META_SOURCE_KINDS = ["git", "csv", "meta-files"] as const;
export type MetaSourceKind = (typeof META_SOURCE_KINDS)[number];

export interface MetaSource {
  kind: MetaSourceKind;
  path: string;
  records: MetaRelease[];
}

const MAX_META_FILES = 2000;

/**
 * Read every tag's META from an OpenZFS git checkout (`git tag` + `git show <tag>:META`), a
 * directory of META files, or the CSV made from the upstream tags (../shared/data/SOURCES.md).
 * `label` names the input in the source text of each record (a path relative to something stable).
 */
export function readOpenzfsMeta(input: string, opts: { label?: string } = {}): MetaSource {
  const abs = path.resolve(input);
  if (!existsSync(abs)) throw new AppError("validation_failed", `${input}: no such file or directory`);
  const label = opts.label ?? input;
  try {
    if (statSync(abs).isFile()) return { kind: "csv", path: abs, records: readCsv(readFileSync(abs, "utf8"), label) };
    if (isGitCheckout(abs)) return { kind: "git", path: abs, records: readGit(abs) };
    return { kind: "meta-files", path: abs, records: readMetaFiles(abs) };
  } catch (e) {
    if (e instanceof MetaRecordError) throw new AppError("validation_failed", e.message, undefined, { cause: e });
    throw e;
  }
}

function readCsv(text: string, label: string): MetaRelease[] {
  let rows: Record<string, string>[];
  try {
    rows = parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true }) as Record<string, string>[];
  } catch (e) {
    throw new MetaRecordError(`${label}: not a CSV file (${e instanceof Error ? e.message : String(e)})`);
  }
  if (rows.length > 0 && !("tag" in rows[0] && "linux_maximum" in rows[0])) {
    throw new MetaRecordError(`${label}: expected the openzfs-meta CSV columns (tag, version, meta_release, tag_type, tag_commit, tag_commit_date, …, linux_minimum, linux_maximum)`);
  }
  return rows.map((row, i) => releaseFromCsvRow(row, `${label} line ${i + 2}`));
}

const git = (dir: string, args: string[], input?: string) =>
  execFileSync("git", ["-C", dir, ...args], { input, maxBuffer: 64 * 1024 * 1024, stdio: ["pipe", "pipe", "pipe"] });

function isGitCheckout(dir: string): boolean {
  try {
    return git(dir, ["rev-parse", "--is-inside-work-tree"]).toString().trim() === "true" || existsSync(path.join(dir, ".git"));
  } catch {
    return false;
  }
}

function readGit(dir: string): MetaRelease[] {
  // One call for every tag with its commit and committer date (annotated tags: of the tagged commit).
  const refs = git(dir, ["for-each-ref", "refs/tags/zfs-*", "--format=%(refname:short)%09%(objectname)%09%(*objectname)%09%(committerdate:short)%09%(*committerdate:short)"])
    .toString()
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [tag, obj, peeled, date, peeledDate] = line.split("\t");
      return { tag, commit: peeled || obj, date: peeledDate || date || null };
    });
  if (refs.length === 0) throw new MetaRecordError(`${dir}: a git checkout without zfs-* tags, so not an OpenZFS repository`);
  // One call for every tag's META: `git cat-file --batch` answers "<sha> blob <size>\n<content>\n".
  const out = git(dir, ["cat-file", "--batch"], refs.map((r) => `${r.tag}:META`).join("\n") + "\n");
  const metas: (string | null)[] = [];
  let at = 0;
  for (let i = 0; i < refs.length; i++) {
    const eol = out.indexOf(0x0a, at);
    const header = out.subarray(at, eol).toString();
    at = eol + 1;
    const m = /^\S+ blob (\d+)$/.exec(header);
    if (!m) {
      metas.push(null);
      continue;
    }
    const size = Number(m[1]);
    metas.push(out.subarray(at, at + size).toString("utf8"));
    at += size + 1;
  }
  return refs.flatMap((r, i) => {
    const meta = metas[i];
    return meta === null ? [] : [releaseFromMeta({ meta, tag: r.tag, commit: r.commit, date: r.date, where: `${r.tag}:META` })];
  });
}

/** META files in a directory tree: named META, *.META or META.*; a zfs-<version> file or folder name is taken as the tag. */
function readMetaFiles(dir: string): MetaRelease[] {
  const files: string[] = [];
  const walk = (d: string, depth: number) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, e.name);
      if (e.isDirectory() && depth < 3 && e.name !== ".git") walk(p, depth + 1);
      else if (e.isFile() && /^META$|\.META$|^META\./.test(e.name)) files.push(p);
      if (files.length > MAX_META_FILES) throw new MetaRecordError(`${dir}: more than ${MAX_META_FILES} META files`);
    }
  };
  walk(dir, 0);
  if (files.length === 0) throw new MetaRecordError(`${dir}: no META files (named META, *.META or META.*), no git checkout and not a CSV file`);
  return files.map((f) => {
    const rel = path.relative(dir, f);
    const tag = /(zfs-\d[\w.+~-]*?)(?:\.META$|$)/.exec(path.basename(f) === "META" ? path.basename(path.dirname(f)) : path.basename(f).replace(/^META\./, ""))?.[1] ?? null;
    return releaseFromMeta({ meta: readFileSync(f, "utf8"), tag, commit: null, date: null, where: rel });
  });
}
