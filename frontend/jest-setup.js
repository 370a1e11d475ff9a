import './.config/jest-setup';
import { configure } from '@testing-library/react';

// Role queries check each candidate's computed style to skip hidden elements; in jsdom that resolves every
// emotion rule of @grafana/ui against every element and was most of the editor tests' time. The editors render
// nothing hidden that a test queries by role, so the check is skipped.
configure({ defaultHidden: true });
