import { dirname } from 'node:path';
import * as fontkit from 'fontkit';
import { findResource } from '../../gateway/resources';

/** The report font's four faces (resources/fonts/roboto, Apache 2.0); PDFs embed subsets of them. */
export interface FontFiles {
  normal: string;
  bold: string;
  italics: string;
  bolditalics: string;
}

export function reportFontFiles(resourcesDir?: string): FontFiles {
  const normal = findResource('fonts/roboto/Roboto-Regular.ttf', resourcesDir);
  const dir = dirname(normal);
  return { normal, bold: `${dir}/Roboto-Medium.ttf`, italics: `${dir}/Roboto-Italic.ttf`, bolditalics: `${dir}/Roboto-MediumItalic.ttf` };
}

type Face = { unitsPerEm: number; layout(text: string): { advanceWidth: number } };
const faces = new Map<string, Face>();

function face(file: string): Face {
  let f = faces.get(file);
  if (!f) {
    f = fontkit.openSync(file) as unknown as Face;
    faces.set(file, f);
  }
  return f;
}

/**
 * Measures text as the PDF will set it. ECharts lays out labels (overlap hiding, legend spacing) from text widths;
 * without a canvas in Node it would guess from a built-in Helvetica-like table, so we give it the real font.
 */
export function textMeasurer(files: FontFiles): (text: string, font?: string) => { width: number } {
  const cache = new Map<string, number>();
  return (text, font) => {
    const css = font ?? '12px Roboto';
    const size = Number(/(\d+(?:\.\d+)?)px/.exec(css)?.[1] ?? 12);
    const bold = /\b(bold|[5-9]00)\b/.test(css);
    const key = `${bold ? 'b' : 'n'}|${text}`;
    let em = cache.get(key);
    if (em === undefined) {
      const f = face(bold ? files.bold : files.normal);
      em = f.layout(text).advanceWidth / f.unitsPerEm;
      if (cache.size > 5000) cache.clear();
      cache.set(key, em);
    }
    return { width: em * size };
  };
}
