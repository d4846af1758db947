import { create } from 'zustand';
import { createBackendSlice, type BackendSlice } from './backendSlice';

export type StudioState = BackendSlice;

export const useStudio = create<StudioState>()((...a) => ({
  ...createBackendSlice(...a),
}));
