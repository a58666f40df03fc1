import type { Metadata } from "next";
import { AppLink } from "@/app/components/AppLink";
import { archString } from "@/lib/schemas/ingest";
import type { CheckResponse } from "@/lib/schemas/check";
import { checkModules } from "@/lib/services/check/check-modules";
import { listCheckOptions } from "@/lib/services/check/list-check-options";
import { AppError } from "@/lib/services/errors";
import { CheckResult } from "./CheckResult";
import { KernelField } from "./KernelField";
import { first } from "@/lib/http/page";
import { checkUpgrades } from "@/lib/services/check/check-upgrades";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Pre-upgrade check" };

type SearchParams = Record<string, string | string[] | undefined>;
const all = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

const EXAMPLE = "v4l2loopback/0.12.7, 6.1.0-56-amd64, x86_64: installed\nzfs/2.1.11, 6.1.0-56-amd64, x86_64: installed";
const ARCHES = ["x86_64", "aarch64", "ppc64le", "s390x", "riscv64", "armv7l", "i686"];

type Outcome = { out: CheckResponse } | { error: string[] } | null;

async function runCheck(sp: { kernel: string; modules: string[]; dkms: string; arch: string }): Promise<Outcome> {
  const { kernel, modules, dkms, arch } = sp;
  if (!kernel && modules.length === 0 && !dkms.trim()) return null;
  const problems: string[] = [];
  if (!kernel) problems.push("Choose the kernel you are about to install.");
  if (modules.length === 0 && !dkms.trim()) problems.push("Paste the output of `dkms status`, or name at least one module as name@version.");
  const archOk = arch === "" || archString.safeParse(arch).success;
  if (!archOk) problems.push(`Arch "${arch}" does not look like uname -m (x86_64, aarch64, …).`);
  if (problems.length > 0) return { error: problems };
  try {
    return { out: await checkModules({ kernel, modules, dkmsStatus: dkms.trim() ? dkms : undefined, arch: arch || undefined }) };
  } catch (e) {
    if (e instanceof AppError && e.code === "validation_failed") return { error: (e.issues ?? [{ message: e.message }]).map((i) => i.message) };
    throw e;
  }
}

/** /check: paste `dkms status` or name modules, pick the kernel, get a verdict per module. */
export default async function CheckPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const sp = await searchParams;
  const query = {
    kernel: first(sp.kernel)?.trim() ?? "",
    modules: all(sp.module).map((m) => m.trim()).filter(Boolean),
    dkms: first(sp.dkms) ?? "",
    arch: first(sp.arch)?.trim() ?? "",
  };
  const [options, outcome] = await Promise.all([listCheckOptions(), runCheck(query)]);
  const upgrades = outcome && "out" in outcome ? await checkUpgrades(outcome.out) : null;
  const moduleRows = [...query.modules, "", ""].slice(0, Math.max(3, query.modules.length + 1));
  const example = options.moduleVersions.find((m) => m.startsWith("v4l2loopback@")) ?? options.moduleVersions[0];

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Pre-upgrade check</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-600">
          Will your DKMS modules work on the kernel you are about to install? Paste the output of <code>dkms status</code> (dkms 2 or 3) or name the
          modules, choose the kernel, and get a verdict per module with the results behind it. The same check runs from a shell (
          <code>npx modcompat check --kernel …</code>), as a kernel install hook, and over the <AppLink href="/api-docs#checkGet" className="underline">API</AppLink>.
        </p>
      </div>

      {/* Keyed by the query, so following a link to another check resets the uncontrolled fields. */}
      <form key={JSON.stringify(query)} action="/check" method="get" className="grid gap-4 rounded border border-slate-200 bg-white p-4 md:grid-cols-2" aria-label="Check">
        <div>
          <label htmlFor="dkms" className="block text-sm font-medium">
            Output of <code>dkms status</code>
          </label>
          <textarea
            id="dkms"
            name="dkms"
            defaultValue={query.dkms}
            rows={8}
            spellCheck={false}
            placeholder={EXAMPLE}
            className="mt-1 w-full rounded border border-slate-300 px-2 py-1.5 font-mono text-xs"
          />
          <p className="mt-1 text-xs text-slate-500">For each module the newest version listed is checked: that is the one DKMS builds for a new kernel.</p>
        </div>
        <div className="space-y-3">
          <fieldset>
            <legend className="text-sm font-medium">…and/or modules as name@version</legend>
            <div className="mt-1 grid grid-cols-1 gap-1">
              {moduleRows.map((m, i) => (
                <input
                  key={i}
                  name="module"
                  defaultValue={m}
                  list="known-module-versions"
                  aria-label={`Module ${i + 1}`}
                  autoComplete="off"
                  spellCheck={false}
                  placeholder={i === 0 && example ? `e.g. ${example}` : "name@version"}
                  className="rounded border border-slate-300 px-2 py-1.5 font-mono text-sm"
                />
              ))}
            </div>
            <datalist id="known-module-versions">
              {options.moduleVersions.map((m) => (
                <option key={m} value={m} />
              ))}
            </datalist>
          </fieldset>
          <KernelField defaultValue={query.kernel} kernels={options.kernels} />
          <div>
            <label htmlFor="arch" className="block text-sm font-medium">
              Arch <span className="font-normal text-slate-500">(optional; default: the arch of the dkms lines, else all)</span>
            </label>
            <input
              id="arch"
              name="arch"
              defaultValue={query.arch}
              list="arches"
              autoComplete="off"
              placeholder="x86_64"
              className="mt-1 w-40 rounded border border-slate-300 px-2 py-1.5 font-mono text-sm"
            />
            <datalist id="arches">
              {ARCHES.map((a) => (
                <option key={a} value={a} />
              ))}
            </datalist>
          </div>
          <button type="submit" className="rounded bg-slate-800 px-4 py-1.5 text-sm font-medium text-white">
            Check
          </button>
        </div>
      </form>

      {outcome && "error" in outcome && (
        <div role="alert" data-testid="check-error" className="rounded border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
          {outcome.error.map((e) => (
            <p key={e}>{e}</p>
          ))}
        </div>
      )}
      {outcome && "out" in outcome && <CheckResult out={outcome.out} upgrades={upgrades?.upgrades ?? []} />}
      {!outcome && example && options.kernels[0] && (
        <p className="text-sm text-slate-600">
          Try:{" "}
          <AppLink className="underline" href={`/check?kernel=${encodeURIComponent(options.kernels[0])}&module=${encodeURIComponent(example)}`}>
            {example} on {options.kernels[0]}
          </AppLink>
        </p>
      )}
    </div>
  );
}
