/*
 * The demo dashboard (provisioning/dashboards/cql-demo.json, fetched as the file itself) drawn with Grafana's own
 * panel components from @grafana/ui: PanelChrome around TimeSeries, Table (the react-table one @grafana/ui
 * exports), BigValue and BarGauge in a VizRepeater, as Grafana's timeseries, table, stat and bar gauge panels do.
 * What Grafana's panel plugins add around them (the field config registry, tooltips, the dashboard grid and its
 * top bar) is not here: the panels' fieldConfig is merged into the frames below and the grid is laid out by
 * gridPos. The data is made in demoFrames.ts, not queried: this page shows what the plugin's frames look like
 * in Grafana's panels, it does not test the plugin.
 */
import React, { useEffect, useState } from 'react';
import { css } from '@emotion/css';
import {
  applyFieldOverrides,
  DataFrame,
  FieldConfig,
  FieldDisplay,
  getDisplayValueAlignmentFactors,
  getFieldDisplayValues,
  GrafanaTheme2,
  ReduceDataOptions,
  TimeRange,
  VizOrientation,
} from '@grafana/data';
import {
  BarGauge,
  BarGaugeDisplayMode,
  BigValue,
  BigValueColorMode,
  BigValueGraphMode,
  BigValueTextMode,
  Icon,
  PanelChrome,
  Table,
  TimeSeries,
  useTheme2,
  VizRepeater,
} from '@grafana/ui';

import { allTypes, bySensor, lastHours, lastMinutes, oneSensor, pageHits, sensorsTable } from './demoFrames';

interface Override {
  matcher: { id: string; options: string };
  properties: Array<{ id: string; value: unknown }>;
}
interface Panel {
  id: number;
  type: string;
  title: string;
  description?: string;
  timeFrom?: string;
  gridPos: { x: number; y: number; w: number; h: number };
  fieldConfig: { defaults: FieldConfig; overrides: Override[] };
  options: Record<string, any>;
}
export interface Dashboard {
  title: string;
  panels: Panel[];
}

const TIME_ZONE = 'utc';
const DASHBOARD_RANGE = lastHours(6);

/** The frames each demo panel's query returns, made in the harness; a panel without an entry fails the check. */
const FRAMES: Record<string, (range: TimeRange) => DataFrame[]> = {
  'Temperature by sensor': (range) => [bySensor('temperature', range, 2 * 60_000)],
  'Live: plant-line-2': (range) => [oneSensor(range)],
  // timeGroup 5m, aggregate max
  'Current temperature': (range) => [bySensor('temperature', range, 5 * 60_000)],
  'Humidity by sensor': (range) => [bySensor('humidity', range, 2 * 60_000)],
  'Every CQL type (demo.all_types)': () => [allTypes()],
  Sensors: () => [sensorsTable()],
  'Page hits (counter column)': () => [pageHits()],
};

/**
 * Grafana's timeseries panel defaults for what the dashboard leaves unset (its plugin registers them; without the
 * registry they are given here).
 */
const GRAPH_DEFAULTS = {
  drawStyle: 'line',
  lineInterpolation: 'linear',
  lineWidth: 1,
  fillOpacity: 0,
  gradientMode: 'none',
  showPoints: 'auto',
  pointSize: 5,
  spanNulls: false,
  axisPlacement: 'auto',
  axisColorMode: 'text',
  axisBorderShow: false,
  axisCenteredZero: false,
  barAlignment: 0,
  stacking: { mode: 'none', group: 'A' },
  thresholdsStyle: { mode: 'off' },
  scaleDistribution: { type: 'linear' },
  hideFrom: { legend: false, tooltip: false, viz: false },
};
const TABLE_DEFAULTS = { align: 'auto', cellOptions: { type: 'auto' }, inspect: false };
const THRESHOLDS_DEFAULT = {
  mode: 'absolute',
  steps: [
    { color: 'green', value: -Infinity },
    { color: 'red', value: 80 },
  ],
};

function setPath(target: Record<string, any>, path: string, value: unknown) {
  const keys = path.split('.');
  let at = target;
  for (const k of keys.slice(0, -1)) {
    at = at[k] = { ...(at[k] ?? {}) };
  }
  at[keys[keys.length - 1]] = value;
}

/** The panel's fieldConfig (defaults, then byName overrides) on each field, then Grafana's display processors. */
function prepare(panel: Panel, frames: DataFrame[], theme: GrafanaTheme2): DataFrame[] {
  const custom = panel.type === 'timeseries' ? GRAPH_DEFAULTS : panel.type === 'table' ? TABLE_DEFAULTS : {};
  const color = panel.type === 'timeseries' ? { mode: 'palette-classic' } : { mode: 'thresholds' };
  const withConfig = frames.map((frame) => ({
    ...frame,
    fields: frame.fields.map((field) => {
      const { defaults } = panel.fieldConfig;
      const config: Record<string, any> = {
        color,
        thresholds: THRESHOLDS_DEFAULT,
        ...field.config,
        ...defaults,
        custom: { ...custom, ...(defaults.custom ?? {}) },
      };
      for (const o of panel.fieldConfig.overrides) {
        if (o.matcher.id === 'byName' && o.matcher.options === field.name) {
          o.properties.forEach((p) => setPath(config, p.id, p.value));
        }
      }
      if (config.thresholds.steps[0].value === null) {
        config.thresholds = {
          ...config.thresholds,
          steps: [{ ...config.thresholds.steps[0], value: -Infinity }, ...config.thresholds.steps.slice(1)],
        };
      }
      return { ...field, config };
    }),
  }));
  return applyFieldOverrides({
    data: withConfig,
    fieldConfig: { defaults: {}, overrides: [] },
    replaceVariables: (v) => v,
    theme,
    timeZone: TIME_ZONE,
  });
}

function displayValues(panel: Panel, data: DataFrame[], theme: GrafanaTheme2): FieldDisplay[] {
  return getFieldDisplayValues({
    data,
    reduceOptions: panel.options.reduceOptions as ReduceDataOptions,
    fieldConfig: { defaults: {}, overrides: [] },
    replaceVariables: (v) => v,
    sparkline: panel.type === 'stat' && panel.options.graphMode !== 'none',
    theme,
    timeZone: TIME_ZONE,
  });
}

function Viz({ panel, width, height }: { panel: Panel; width: number; height: number }) {
  const theme = useTheme2();
  const make = FRAMES[panel.title];
  if (!make) {
    return <div data-testid="no-frames">The harness makes no frames for this panel</div>;
  }
  const range = panel.timeFrom ? lastMinutes(parseInt(panel.timeFrom, 10)) : DASHBOARD_RANGE;
  const data = prepare(panel, make(range), theme);
  switch (panel.type) {
    case 'timeseries':
      return (
        <TimeSeries
          frames={data}
          width={width}
          height={height}
          timeRange={range}
          timeZone={TIME_ZONE}
          legend={{ showLegend: true, calcs: [], ...panel.options.legend }}
          options={panel.options}
        />
      );
    case 'table':
      return (
        <Table
          data={data[0]}
          width={width}
          height={height}
          cellHeight={panel.options.cellHeight}
          columnMinWidth={panel.fieldConfig.defaults.custom?.minWidth}
          initialSortBy={panel.options.sortBy}
          timeRange={range}
        />
      );
    case 'stat': {
      const values = displayValues(panel, data, theme);
      return (
        <VizRepeater<FieldDisplay, ReturnType<typeof getDisplayValueAlignmentFactors>>
          source={data}
          getValues={() => values}
          getAlignmentFactors={getDisplayValueAlignmentFactors}
          renderCounter={0}
          width={width}
          height={height}
          orientation={VizOrientation.Auto}
          autoGrid
          minVizWidth={75}
          minVizHeight={75}
          itemSpacing={3}
          renderValue={({ value, width: w, height: h, alignmentFactors, count }) => (
            <BigValue
              value={value.display}
              sparkline={value.sparkline}
              width={w}
              height={h}
              count={count}
              alignmentFactors={alignmentFactors}
              colorMode={panel.options.colorMode as BigValueColorMode}
              graphMode={panel.options.graphMode as BigValueGraphMode}
              textMode={panel.options.textMode as BigValueTextMode}
              theme={theme}
            />
          )}
        />
      );
    }
    case 'bargauge': {
      const values = displayValues(panel, data, theme);
      return (
        <VizRepeater<FieldDisplay, ReturnType<typeof getDisplayValueAlignmentFactors>>
          source={data}
          getValues={() => values}
          getAlignmentFactors={getDisplayValueAlignmentFactors}
          renderCounter={0}
          width={width}
          height={height}
          orientation={panel.options.orientation as VizOrientation}
          itemSpacing={8}
          renderValue={({ value, width: w, height: h, alignmentFactors }) => (
            <BarGauge
              value={value.display}
              field={value.field}
              width={w}
              height={h}
              orientation={panel.options.orientation as VizOrientation}
              displayMode={panel.options.displayMode as BarGaugeDisplayMode}
              showUnfilled={panel.options.showUnfilled}
              alignmentFactors={alignmentFactors}
              isOverflow={false}
              theme={theme}
            />
          )}
        />
      );
    }
    default:
      return <div data-testid="no-frames">No component for panel type {panel.type}</div>;
  }
}

/** Grafana's dashboard grid: 24 columns, rows 30 px high, 8 px between panels. */
const GRID = { columns: 24, row: 30, gap: 8 };

export function DemoDashboard({ dashboard, width }: { dashboard: Dashboard; width: number }) {
  const theme = useTheme2();
  // uPlot draws axis labels on a canvas with the font it finds at that moment: wait for Grafana's Inter
  const [fonts, setFonts] = useState(false);
  useEffect(() => {
    Promise.all([document.fonts.load('12px Inter'), document.fonts.load('500 12px Inter')]).then(() => setFonts(true));
  }, []);
  const column = (width - GRID.gap * (GRID.columns - 1)) / GRID.columns;
  const bottom = Math.max(...dashboard.panels.map((p) => p.gridPos.y + p.gridPos.h));
  const styles = {
    page: css({ padding: theme.spacing(2), background: theme.colors.background.canvas, width: width + 32 }),
    title: css({ fontSize: theme.typography.h4.fontSize, marginBottom: theme.spacing(1) }),
    controls: css({
      display: 'flex',
      gap: theme.spacing(2),
      alignItems: 'center',
      color: theme.colors.text.secondary,
      marginBottom: theme.spacing(2),
    }),
    grid: css({ position: 'relative', width, height: bottom * (GRID.row + GRID.gap) - GRID.gap }),
    timeFrom: css({ display: 'flex', gap: 4, alignItems: 'center', color: theme.colors.text.link, fontSize: 12 }),
  };
  return (
    <div className={styles.page} id="dashboard">
      <h1 className={styles.title}>{dashboard.title}</h1>
      <div className={styles.controls}>
        <span>Sensor: All</span>
        <span>
          <Icon name="clock-nine" /> Last 6 hours, UTC
        </span>
      </div>
      {fonts && (
        <div className={styles.grid}>
          {dashboard.panels.map((panel) => {
            const { x, y, w, h } = panel.gridPos;
            const pw = w * column + (w - 1) * GRID.gap;
            const ph = h * GRID.row + (h - 1) * GRID.gap;
            return (
              <div
                key={panel.id}
                data-testid="dashboard-panel"
                data-panel-type={panel.type}
                data-panel-title={panel.title}
                style={{ position: 'absolute', left: x * (column + GRID.gap), top: y * (GRID.row + GRID.gap) }}
              >
                <PanelChrome
                  title={panel.title}
                  description={panel.description}
                  width={pw}
                  height={ph}
                  titleItems={
                    panel.timeFrom ? (
                      <span className={styles.timeFrom}>
                        <Icon name="clock-nine" size="sm" /> Last {parseInt(panel.timeFrom, 10)} minutes
                      </span>
                    ) : undefined
                  }
                >
                  {(innerWidth, innerHeight) => <Viz panel={panel} width={innerWidth} height={innerHeight} />}
                </PanelChrome>
              </div>
            );
          })}
        </div>
      )}
    </div>
  );
}
