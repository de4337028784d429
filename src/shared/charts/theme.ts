import type { ChartTheme } from './spec';

/** Colours of one chart theme. The palette is ordered for contrast between neighbouring series. */
export interface ChartPalette {
  background: string;
  text: string;
  mutedText: string;
  axisLine: string;
  gridLine: string;
  series: readonly string[];
  good: string;
  bad: string;
  neutral: string;
  tooltipBackground: string;
}

// Indigo first, matching the app's primary colour; the rest stay distinguishable for common colour blindness.
const SERIES_LIGHT = ['#4c6ef5', '#12b886', '#fab005', '#fa5252', '#7950f2', '#15aabf', '#fd7e14', '#e64980', '#82c91e', '#868e96', '#364fc7', '#087f5b'] as const;
const SERIES_DARK = ['#748ffc', '#38d9a9', '#ffd43b', '#ff8787', '#9775fa', '#3bc9db', '#ffa94d', '#f783ac', '#a9e34b', '#adb5bd', '#91a7ff', '#63e6be'] as const;

export const CHART_PALETTES: Record<ChartTheme, ChartPalette> = {
  light: {
    background: '#ffffff',
    text: '#212529',
    mutedText: '#5c636a',
    axisLine: '#adb5bd',
    gridLine: '#e9ecef',
    series: SERIES_LIGHT,
    good: '#2b8a3e',
    bad: '#c92a2a',
    neutral: '#5c636a',
    tooltipBackground: '#ffffff',
  },
  dark: {
    background: '#1a1b1e',
    text: '#e9ecef',
    mutedText: '#a6a7ab',
    axisLine: '#5c5f66',
    gridLine: '#2c2e33',
    series: SERIES_DARK,
    good: '#69db7c',
    bad: '#ff8787',
    neutral: '#a6a7ab',
    tooltipBackground: '#25262b',
  },
};

/** The font PDFs embed (resources/fonts/roboto); server-side chart SVGs name it so their text matches the page. */
export const REPORT_FONT_FAMILY = 'Roboto';
