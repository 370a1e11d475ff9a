// @grafana/ui's icons load SVGs over HTTP through react-inlinesvg; in jsdom render a plain element instead.
import React from 'react';

type Props = { src: string; title?: string } & React.SVGProps<SVGSVGElement>;

export default function InlineSVG({
  src,
  title,
  innerRef: _innerRef,
  cacheRequests: _c,
  ...rest
}: Props & Record<string, unknown>) {
  const name = src.split('/').pop()?.replace('.svg', '');
  return <svg data-testid={`icon-${name}`} aria-label={title} {...(rest as React.SVGProps<SVGSVGElement>)} />;
}
