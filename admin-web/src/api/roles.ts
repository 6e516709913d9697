import { http } from './http';

/** A text in both console languages, as the server sends labels. */
export interface LocalizedLabel {
  zh: string;
  en: string;
}

export interface PermissionAction {
  code: string;
  /** view, create, update, delete, export, ... */
  action: string;
  label: LocalizedLabel;
}

/** One resource (a row of the permission matrix) and its actions. */
export interface PermissionGroup {
  key: string;
  label: LocalizedLabel;
  actions: PermissionAction[];
}

export type Sensitivity = 'normal' | 'contact' | 'personal' | 'financial';
export type FieldLevel = 'hidden' | 'masked' | 'read' | 'edit';
export type DataScope = 'all' | 'assigned' | 'own';

export interface RegistryField {
  key: string;
  label: LocalizedLabel;
  sensitivity: Sensitivity;
  maskable: boolean;
}

export interface RegistryEntity {
  entity: string;
  label: LocalizedLabel;
  fields: RegistryField[];
}

/** A level for every field of an entity, or one per sensitivity; an entity without one is hidden. */
export type EntityDefault = FieldLevel | Partial<Record<Sensitivity, FieldLevel>>;

export interface FieldPolicy {
  defaults?: Record<string, EntityDefault>;
  /** by policy key, `member.phone` */
  fields?: Record<string, FieldLevel>;
  masks?: Record<string, string>;
  createFields?: string[];
}

export interface Role {
  id: number;
  code: string;
  nameZh: string;
  nameEn: string;
  builtin: boolean;
  permissions: string[];
  dataScope: DataScope;
  fieldPolicy: FieldPolicy;
  userCount: number;
}

export interface RoleCreate {
  code: string;
  nameZh: string;
  nameEn: string;
  permissions: string[];
  dataScope: DataScope;
  fieldPolicy: FieldPolicy;
}

export type RoleUpdate = Partial<Omit<RoleCreate, 'code'>>;

/** 全部权限码（按资源分组，供权限矩阵） */
export const listPermissions = () => http.get<{ groups: PermissionGroup[] }>('/api/v1/permissions');

/** 字段登记表（会员、订单、流水的字段与敏感级别，供字段权限） */
export const getFieldRegistry = () => http.get<{ entities: RegistryEntity[] }>('/api/v1/field-registry');

/** 角色列表 */
export const listRoles = () => http.get<{ items: Role[] }>('/api/v1/roles');

/** 新建角色 */
export const createRole = (data: RoleCreate) => http.post<Role>('/api/v1/roles', data);

/** 修改角色（名称、功能权限、数据范围、字段权限） */
export const updateRole = (id: number, data: RoleUpdate) => http.patch<Role>(`/api/v1/roles/${id}`, data);

/** 删除角色（内置角色与仍有员工使用的角色不可删除） */
export const deleteRole = (id: number) => http.delete<void>(`/api/v1/roles/${id}`);
