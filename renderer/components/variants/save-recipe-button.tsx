/** Saves a variant's recipe as `*.recipe.json`: the native save dialog in Electron, a download in the browser. */
import { Button, Tooltip } from '@blueprintjs/core';
import { useState } from 'react';
import type { Recipe } from '../../../shared/recipes/recipe';
import { studioClient } from '../../services';

function fileNameFor(recipe: Recipe): string {
  const base = (recipe.name ?? recipe.steps.map((s) => s.pass).join('-')).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return `${base || 'variant'}.recipe.json`;
}

/** Renders the button; it says where the recipe went once saved. */
export function SaveRecipeButton({ variantId, recipe }: { variantId: string; recipe: Recipe }) {
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const save = async () => {
    setError(null);
    const { api, host } = studioClient();
    const name = fileNameFor(recipe);
    try {
      if (host.pickSavePath) {
        const target = await host.pickSavePath({ title: 'Save the recipe', defaultName: name, extensions: ['json'] });
        if (!target) return;
        setSaved((await api.saveRecipe({ variantId, path: target })).path);
        return;
      }
      const url = URL.createObjectURL(new Blob([JSON.stringify(recipe, null, 2) + '\n'], { type: 'application/json' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setSaved(name);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <Tooltip content={error ?? saved ?? 'Save the passes that made this variant; `deploy-studio optimize MODEL --recipe R -o OUT` replays them'} compact intent={error ? 'danger' : 'none'}>
      <Button size="small" icon="floppy-disk" onClick={() => void save()} data-testid="save-recipe" intent={error ? 'danger' : 'none'}>
        {saved ? 'Recipe saved' : 'Save recipe'}
      </Button>
    </Tooltip>
  );
}
