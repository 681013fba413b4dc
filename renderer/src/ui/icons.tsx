// Small inline SVG icons: part of the bundle, no fonts or external images (CSP friendly).

interface IconProps {
  className?: string;
}

function Svg({ className, children }: IconProps & { children: React.ReactNode }) {
  return (
    <svg
      className={className ? `icon ${className}` : 'icon'}
      viewBox="0 0 16 16"
      width="16"
      height="16"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.5"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {children}
    </svg>
  );
}

/** An icon component drawing `shapes` on the 16×16 grid. */
function icon(shapes: React.ReactNode) {
  return function Icon(p: IconProps) {
    return <Svg {...p}>{shapes}</Svg>;
  };
}

export const TrashIcon = icon(<path d="M2.5 4h11M6 4V2.5h4V4M4 4l.7 9.5h6.6L12 4M6.8 6.5v4.5M9.2 6.5v4.5" />);

export const CloseIcon = icon(<path d="M4 4l8 8M12 4l-8 8" />);

export const EyeIcon = icon(
  <>
    <path d="M1.5 8S4 3.5 8 3.5 14.5 8 14.5 8 12 12.5 8 12.5 1.5 8 1.5 8z" />
    <circle cx="8" cy="8" r="2" />
  </>,
);

export const EyeOffIcon = icon(
  <>
    <path d="M6.6 3.7A6.7 6.7 0 0 1 8 3.5C12 3.5 14.5 8 14.5 8a12 12 0 0 1-1.8 2.4M4.2 4.9C2.5 6 1.5 8 1.5 8S4 12.5 8 12.5c1.2 0 2.3-.4 3.2-1M2 2l12 12" />
    <path d="M6.6 6.6a2 2 0 0 0 2.8 2.8" />
  </>,
);

export const KeyIcon = icon(
  <>
    <circle cx="5" cy="11" r="2.5" />
    <path d="M6.8 9.2L13 3M11 5l1.5 1.5M9.5 6.5L11 8" />
  </>,
);

export function SortIcon({ dir, className }: IconProps & { dir: 'asc' | 'desc' | null }) {
  return <Svg className={className}>{dir === 'asc' ? <path d="M4.5 9.5L8 6l3.5 3.5" /> : dir === 'desc' ? <path d="M4.5 6.5L8 10l3.5-3.5" /> : <path d="M5 6.5L8 4l3 2.5M5 9.5L8 12l3-2.5" />}</Svg>;
}

export const CopyIcon = icon(
  <>
    <rect x="5.5" y="5.5" width="8" height="8" rx="1.5" />
    <path d="M3.5 10.5h-.5A1 1 0 0 1 2 9.5V3a1 1 0 0 1 1-1h6.5a1 1 0 0 1 1 1v.5" />
  </>,
);

export const ShieldIcon = icon(<path d="M8 1.5l5 2v4c0 3.2-2.2 5.8-5 7-2.8-1.2-5-3.8-5-7v-4l5-2z" />);

export const ChartIcon = icon(<path d="M2 13.5h12M4 11V8M7 11V4.5M10 11V6.5M13 11V3" />);

export const SlidersIcon = icon(
  <>
    <path d="M2 4h7M12 4h2M2 8h2M7 8h7M2 12h9M14 12h0" />
    <circle cx="10.5" cy="4" r="1.5" />
    <circle cx="5.5" cy="8" r="1.5" />
    <circle cx="12.5" cy="12" r="1.5" />
  </>,
);

export const ServerIcon = icon(
  <>
    <rect x="2" y="2.5" width="12" height="4.5" rx="1" />
    <rect x="2" y="9" width="12" height="4.5" rx="1" />
    <path d="M4.5 4.75h.01M4.5 11.25h.01" />
  </>,
);

export const ListIcon = icon(<path d="M5.5 4h8M5.5 8h8M5.5 12h8M2.5 4h.01M2.5 8h.01M2.5 12h.01" />);

export const GearIcon = icon(
  <>
    <circle cx="8" cy="8" r="2" />
    <path d="M8 1.5v2M8 12.5v2M1.5 8h2M12.5 8h2M3.4 3.4l1.4 1.4M11.2 11.2l1.4 1.4M3.4 12.6l1.4-1.4M11.2 4.8l1.4-1.4" />
  </>,
);

/** Test connection: a plug. */
export const PlugIcon = icon(<path d="M5.5 1.5v3M10.5 1.5v3M3.5 4.5h9v2.5a4.5 4.5 0 0 1-9 0zM8 11.5v3" />);

export const PencilIcon = icon(<path d="M10.5 2.5l3 3L6 13H3v-3zM9 4l3 3" />);

export const RotateIcon = icon(<path d="M13.5 8a5.5 5.5 0 1 1-1.6-3.9M13.5 2v3h-3" />);

export const MoveIcon = icon(<path d="M2.5 8h10M9.5 4.5 13 8l-3.5 3.5" />);
