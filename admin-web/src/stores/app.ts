import { ref } from 'vue';
import { defineStore } from 'pinia';
import { STORAGE_KEYS, readStorage, writeStorage } from '@/utils/storage';

/** Layout state that outlives a reload. */
export const useAppStore = defineStore('app', () => {
  const sidebarCollapsed = ref(readStorage(STORAGE_KEYS.sidebarCollapsed) === '1');

  function toggleSidebar(): void {
    sidebarCollapsed.value = !sidebarCollapsed.value;
    writeStorage(STORAGE_KEYS.sidebarCollapsed, sidebarCollapsed.value ? '1' : '0');
  }

  return { sidebarCollapsed, toggleSidebar };
});
