// Text comes from the control's resx files through context.resources.getString.
export type Translate = (key: string) => string;

/** Fills {0}, {1}, ... placeholders (the resx convention). */
export function fill(template: string, ...values: (string | number)[]): string {
  return template.replace(/\{(\d+)\}/g, (m, i: string) => {
    const v = values[Number(i)];
    return v === undefined ? m : String(v);
  });
}
