import type { Dictionary } from './nl';

export const dispatchEn: Dictionary['dispatch'] = {
};
