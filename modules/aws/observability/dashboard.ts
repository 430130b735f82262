// One CloudWatch dashboard per system. The caller lists widgets in reading order; they flow left to
// right on CloudWatch's 24-column grid, wrapping into rows, so nobody maintains x/y by hand.
import { Construct } from 'constructs';
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard/index.js';
import { PropProblems } from '../../core/validation.js';
import { awsAccountContext } from '../security/account.js';

export interface WidgetMetric {
  readonly namespace: string;
  readonly metricName: string;
  /** @default none */
  readonly dimensions?: Record<string, string>;
  /** @default the widget's `stat` */
  readonly stat?: string;
  /** @default CloudWatch's label (metric name and dimensions) */
  readonly label?: string;
}

interface WidgetSize {
  /** Grid columns (1-24). @default 12 for metric widgets, 24 for the others */
  readonly width?: number;
  /** Grid rows (1-1000). @default 6 (2 for text) */
  readonly height?: number;
}

export interface MetricWidget extends WidgetSize {
  readonly type: 'metric';
  readonly title: string;
  readonly metrics: readonly WidgetMetric[];
  /** @default 'timeSeries' */
  readonly view?: 'timeSeries' | 'singleValue' | 'bar' | 'pie';
  /** @default 'Average' */
  readonly stat?: string;
  /** @default 60 */
  readonly periodSeconds?: number;
  /** @default false */
  readonly stacked?: boolean;
}

export interface TextWidget extends WidgetSize {
  readonly type: 'text';
  readonly markdown: string;
}

export interface AlarmStatusWidget extends WidgetSize {
  readonly type: 'alarm';
  readonly title: string;
  readonly alarmArns: readonly string[];
}

export interface LogQueryWidget extends WidgetSize {
  readonly type: 'log';
  readonly title: string;
  readonly logGroupNames: readonly string[];
  /** A Logs Insights query without the SOURCE part, e.g. `fields @timestamp, @message | sort @timestamp desc | limit 50`. */
  readonly query: string;
  /** @default 'table' */
  readonly view?: 'table' | 'timeSeries' | 'bar' | 'pie';
}

export type DashboardWidget = MetricWidget | TextWidget | AlarmStatusWidget | LogQueryWidget;

export interface SystemDashboardProps {
  /** Dashboard name: letters, digits, `-` and `_`, at most 255. */
  readonly name: string;
  readonly widgets: readonly DashboardWidget[];
  /** Region of the metrics and log groups. @default the stack provider's region */
  readonly region?: string;
  /** Default time range shown (ISO 8601 duration before now). @default '-PT3H' */
  readonly start?: string;
}

const WIDGET_TYPES = ['metric', 'text', 'alarm', 'log'] as const;
const GRID_COLUMNS = 24;

export class SystemDashboard extends Construct {
  readonly dashboard: CloudwatchDashboard;
  readonly name: string;
  readonly arn: string;
  /** The dashboard body JSON as sent to CloudWatch. */
  readonly body: string;

  constructor(scope: Construct, id: string, props: SystemDashboardProps) {
    super(scope, id);
    const problems = new PropProblems(this, 'SystemDashboard')
      .matches('name', props.name, /^[\w-]{1,255}$/, '1-255 letters, digits, - and _')
      .matches('start', props.start, /^-P(T?\d+[WDHMS])+$/, 'an ISO 8601 duration before now like "-PT3H" or "-P7D"')
      .check(props.widgets.length >= 1 && props.widgets.length <= 500, `widgets must hold 1-500 widgets (got ${props.widgets.length})`);
    props.widgets.forEach((w, i) => widgetProblems(problems, `widgets[${i}]`, w));
    problems.throwIfAny();

    const region = props.region ?? awsAccountContext(this).region;
    this.body = JSON.stringify({
      start: props.start ?? '-PT3H',
      widgets: layout(props.widgets).map(({ widget, x, y, width, height }) => ({
        type: widget.type,
        x,
        y,
        width,
        height,
        properties: widgetProperties(widget, region),
      })),
    });
    this.dashboard = new CloudwatchDashboard(this, 'dashboard', { dashboardName: props.name, dashboardBody: this.body });
    this.name = this.dashboard.dashboardName;
    this.arn = this.dashboard.dashboardArn;
  }
}

function widgetProblems(p: PropProblems, at: string, w: DashboardWidget): void {
  p.oneOf(`${at}.type`, w.type, WIDGET_TYPES);
  p.range(`${at}.width`, w.width, 1, GRID_COLUMNS);
  p.range(`${at}.height`, w.height, 1, 1000);
  if ('title' in w)
    p.check(w.title.length >= 1 && w.title.length <= 255, `${at}.title must be 1-255 characters (got ${JSON.stringify(w.title)})`, w.title);
  switch (w.type) {
    case 'metric':
      p.check(w.metrics.length >= 1 && w.metrics.length <= 500, `${at}.metrics must hold 1-500 metrics (got ${w.metrics.length})`);
      p.oneOf(`${at}.view`, w.view, ['timeSeries', 'singleValue', 'bar', 'pie'] as const);
      p.check(
        w.periodSeconds === undefined || (w.periodSeconds >= 60 && w.periodSeconds % 60 === 0),
        `${at}.periodSeconds must be a multiple of 60 (got ${w.periodSeconds})`,
        w.periodSeconds,
      );
      break;
    case 'text':
      p.check(w.markdown.trim().length > 0, `${at}.markdown must not be empty (got ${JSON.stringify(w.markdown)})`, w.markdown);
      break;
    case 'alarm':
      p.check(
        w.alarmArns.length >= 1 && w.alarmArns.length <= 100,
        `${at}.alarmArns must hold 1-100 alarm ARNs (got ${w.alarmArns.length})`,
      );
      for (const arn of w.alarmArns)
        p.matches(`${at}.alarmArns`, arn, /^arn:aws(-cn|-us-gov)?:cloudwatch:[a-z0-9-]+:\d{12}:alarm:.+$/, 'CloudWatch alarm ARNs');
      break;
    case 'log':
      p.check(
        w.logGroupNames.length >= 1 && w.logGroupNames.length <= 50,
        `${at}.logGroupNames must hold 1-50 names (got ${w.logGroupNames.length})`,
      );
      for (const name of w.logGroupNames) p.matches(`${at}.logGroupNames`, name, /^[\w./#-]{1,512}$/, 'log group names (not ARNs)');
      p.check(
        w.query.trim().length > 0 && !/^\s*SOURCE\b/i.test(w.query),
        `${at}.query must be a non-empty Logs Insights query without SOURCE (got ${JSON.stringify(w.query)})`,
        w.query,
      );
      p.oneOf(`${at}.view`, w.view, ['table', 'timeSeries', 'bar', 'pie'] as const);
      break;
  }
}

interface Placed {
  widget: DashboardWidget;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Left-to-right rows; a widget that does not fit the row starts the next one below the row's tallest. */
function layout(widgets: readonly DashboardWidget[]): Placed[] {
  const placed: Placed[] = [];
  let x = 0;
  let rowTop = 0;
  let rowHeight = 0;
  for (const widget of widgets) {
    const width = widget.width ?? (widget.type === 'metric' ? 12 : GRID_COLUMNS);
    const height = widget.height ?? (widget.type === 'text' ? 2 : 6);
    if (x + width > GRID_COLUMNS) {
      rowTop += rowHeight;
      x = 0;
      rowHeight = 0;
    }
    placed.push({ widget, x, y: rowTop, width, height });
    x += width;
    rowHeight = Math.max(rowHeight, height);
  }
  return placed;
}

function widgetProperties(w: DashboardWidget, region: string): Record<string, unknown> {
  switch (w.type) {
    case 'metric':
      return {
        title: w.title,
        region,
        view: w.view ?? 'timeSeries',
        stacked: w.stacked ?? false,
        stat: w.stat ?? 'Average',
        period: w.periodSeconds ?? 60,
        metrics: w.metrics.map(metricRow),
      };
    case 'text':
      return { markdown: w.markdown };
    case 'alarm':
      return { title: w.title, alarms: w.alarmArns };
    case 'log':
      return {
        title: w.title,
        region,
        view: w.view ?? 'table',
        query: `${w.logGroupNames.map((n) => `SOURCE '${n}'`).join(' | ')} | ${w.query}`,
      };
  }
}

/** CloudWatch's metric row: [namespace, name, dimName, dimValue, ..., { options }]. */
function metricRow(m: WidgetMetric): unknown[] {
  const options = { ...(m.stat ? { stat: m.stat } : {}), ...(m.label ? { label: m.label } : {}) };
  return [m.namespace, m.metricName, ...Object.entries(m.dimensions ?? {}).flat(), ...(Object.keys(options).length ? [options] : [])];
}

/** Requests and errors, then latency p99: the widgets every dashboard of an API Gateway REST API starts with. */
export function apiGatewayWidgets(api: { readonly name: string; readonly stage: string }): DashboardWidget[] {
  const metric = (metricName: string): WidgetMetric => ({
    namespace: 'AWS/ApiGateway',
    metricName,
    dimensions: { ApiName: api.name, Stage: api.stage },
  });
  return [
    { type: 'metric', title: 'API requests and errors', stat: 'Sum', metrics: [metric('Count'), metric('4XXError'), metric('5XXError')] },
    { type: 'metric', title: 'API latency p99 (ms)', stat: 'p99', metrics: [metric('Latency'), metric('IntegrationLatency')] },
  ];
}

/** Errors, then duration p99, a line per function labelled with its role (the key). */
export function lambdaWidgets(functions: Readonly<Record<string, { readonly name: string }>>): DashboardWidget[] {
  const perFunction = (metricName: string): WidgetMetric[] =>
    Object.entries(functions).map(([role, fn]) => ({
      namespace: 'AWS/Lambda',
      metricName,
      dimensions: { FunctionName: fn.name },
      label: role,
    }));
  return [
    { type: 'metric', title: 'Lambda errors', stat: 'Sum', metrics: perFunction('Errors') },
    { type: 'metric', title: 'Lambda duration p99 (ms)', stat: 'p99', metrics: perFunction('Duration') },
  ];
}
