import { navigate } from '../shell/route';
import { Button } from '../ui/Button';

/** Says which Inventory figure the table is limited to, with a way back to everything. */
export function FigureBanner({ label, shown }: { label: string; shown: number }) {
  return (
    <div className="figure-banner" role="status">
      <span>
        Showing {shown} credential{shown === 1 ? '' : 's'}: <strong>{label}</strong> (from the Inventory page)
      </span>
      <Button size="sm" variant="ghost" onClick={() => navigate('credentials')}>
        Show all
      </Button>
    </div>
  );
}
