/** The bench model's input rows (32 features), the same for every target, and for the reference dataset Ferry's version is uploaded with. */
export const INPUTS = 32;

export function inputRows(batch: number): Float32Array {
  const data = new Float32Array(batch * INPUTS);
  for (let i = 0; i < data.length; i++) data[i] = Math.sin(i * 0.37) * 1.5;
  return data;
}
