import { MatrixWindowNote } from "./MatrixWindowNote";
import { MatrixGrid } from "./MatrixGrid";
import { matrixGridModel, type GridModelInput } from "./grid-model";

/**
 * The matrix: its view model (matrixGridModel, compact props: a letter per cell) drawn by the
 * client grid (MatrixGrid) with small markup and the keyboard grid pattern, and a note when the
 * window leaves something out. 100 versions × 400 kernels: see README "The matrix page at scale".
 */
export function MatrixTable(input: GridModelInput) {
  const { props, win, expandedKernels } = matrixGridModel(input);
  return (
    <>
      {win.capped && <MatrixWindowNote base={input.base} view={input.view} current={input.current} win={win} expandedKernels={expandedKernels} />}
      <MatrixGrid {...props} />
    </>
  );
}
