import type { ComponentType } from 'react';
import { BudgetsPanel } from './budgets/BudgetsPanel';
import { EnginePanel } from './engine/EnginePanel';
import { IndexPanel } from './index/IndexPanel';
import { LocalModelsPanel } from './models/LocalModelsPanel';
import { PlaygroundPanel } from './playground/PlaygroundPanel';
import { PoliciesPanel } from './policies/PoliciesPanel';
import { ProvidersPanel } from './providers/ProvidersPanel';
import { UsagePanel } from './usage/UsagePanel';

/** The model-gateway, engine and search-index tabs of the Configuration page, in order. */
export const HUB_TABS: readonly { value: string; label: string; Panel: ComponentType }[] = [
  { value: 'providers', label: 'Providers', Panel: ProvidersPanel },
  { value: 'policies', label: 'Policies', Panel: PoliciesPanel },
  { value: 'models', label: 'Local models', Panel: LocalModelsPanel },
  { value: 'playground', label: 'Playground', Panel: PlaygroundPanel },
  { value: 'usage', label: 'Usage & Costs', Panel: UsagePanel },
  { value: 'budgets', label: 'Budgets', Panel: BudgetsPanel },
  { value: 'engine', label: 'Personas & Engine', Panel: EnginePanel },
  { value: 'index', label: 'Embeddings & Index', Panel: IndexPanel },
];
