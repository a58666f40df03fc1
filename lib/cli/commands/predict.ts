import type { Command } from "commander";
import { predictForModule } from "../../services/predictions/predict-for-module";
import { withLocalDatabase } from "../local-db";

const LABEL = { fail: "likely broken", pass: "likely", unknown: "unknown" } as const;

/**
 * `modcompat predict --module name@version --kernel K`: the predicted verdict from the module
 * version's footprint and the kernel's API snapshot. Exit 0 likely, 1 likely broken, 2 unknown.
 */
export function registerPredictCommand(program: Command): void {
  program
    .command("predict")
    .description("predict whether a module version builds on a kernel, from its footprint and the kernel's API snapshot (talks to the database directly); a prediction, never a build result")
    .requiredOption("--module <name@version>", "module version, e.g. v4l2loopback@0.12.7 (repeatable)", (v: string, acc: string[] = []) => [...acc, v])
    .requiredOption("--kernel <kver>", "target kernel, e.g. 6.12.107+deb12-amd64 (needs `kernel-api import` of its headers)")
    .option("--json", "print JSON")
    .action(async (o: { module: string[]; kernel: string; json?: boolean }) =>
      withLocalDatabase(async () => {
        let worst = 0;
        const out = [];
        for (const m of o.module) {
          const at = m.lastIndexOf("@");
          if (at <= 0) throw new Error(`--module ${m}: expected name@version`);
          const p = await predictForModule({ module: m.slice(0, at), version: m.slice(at + 1), kernel: o.kernel });
          out.push(p);
          const code = p.prediction.outcome === "fail" ? 1 : p.prediction.outcome === "unknown" ? 2 : 0;
          worst = code === 1 || worst === 1 ? 1 : Math.max(worst, code);
          if (!o.json) {
            console.log(
              `${p.module} ${p.version} on ${p.kernel}: ${LABEL[p.prediction.outcome]} (predicted${p.prediction.outcome === "unknown" ? "" : `, ${p.prediction.strength} evidence`}: ${p.prediction.summary})` +
                (p.footprintKernel ? `\n  from the footprint of its build on ${p.footprintKernel}` : ""),
            );
          }
        }
        if (o.json) console.log(JSON.stringify(out, null, 2));
        process.exitCode = worst;
      }),
    );
}
