/// The Slipway mark; the same drawing as public/favicon.svg.
export function Logo({ className }: { readonly className?: string }) {
  return (
    <svg className={className} viewBox="0 0 32 32" width="20" height="20" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="7" fill="#2563eb" />
      <path
        d="M9 7.5 20.5 19M20.5 12.5V19H14"
        fill="none"
        stroke="#fff"
        strokeWidth="3"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
      <path
        d="M5 25.5c2-1.6 4-1.6 6 0s4 1.6 6 0 4-1.6 6 0 4 1.6 5 .5"
        fill="none"
        stroke="#bfdbfe"
        strokeWidth="2.2"
        strokeLinecap="round"
      />
    </svg>
  )
}
