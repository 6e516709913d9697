import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';

export type TaskStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export function defineJobModels(sequelize: Sequelize) {
  class JobTask extends Model<InferAttributes<JobTask>, InferCreationAttributes<JobTask>> {
    declare id: CreationOptional<number>;
    declare jobName: string;
    declare jobId: string | null;
    declare ownerUserId: number;
    declare status: CreationOptional<TaskStatus>;
    declare progress: CreationOptional<number>;
    declare message: string | null;
    /** JSON of the handler's summary. */
    declare summary: string | null;
    /** JSON `{ code, params }` of the last failure. */
    declare error: string | null;
    /** Relative to the job output directory. */
    declare outputFile: string | null;
    declare outputName: string | null;
    declare outputType: string | null;
    declare outputSize: number | null;
    declare createdAt: CreationOptional<Date>;
    declare startedAt: Date | null;
    declare finishedAt: Date | null;
    declare expiresAt: Date | null;
  }
  JobTask.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      jobName: { type: DataTypes.STRING(191), allowNull: false },
      jobId: DataTypes.STRING(64),
      ownerUserId: { type: DataTypes.INTEGER, allowNull: false },
      status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'queued' },
      progress: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      message: DataTypes.STRING(255),
      summary: DataTypes.TEXT,
      error: DataTypes.TEXT,
      outputFile: DataTypes.STRING(512),
      outputName: DataTypes.STRING(255),
      outputType: DataTypes.STRING(128),
      outputSize: DataTypes.BIGINT,
      createdAt: DataTypes.DATE(3),
      startedAt: DataTypes.DATE(3),
      finishedAt: DataTypes.DATE(3),
      expiresAt: DataTypes.DATE(3),
    },
    { sequelize, tableName: 'job_tasks', timestamps: true, updatedAt: false, underscored: true },
  );
  return { JobTask };
}

export type JobModels = ReturnType<typeof defineJobModels>;
export type JobTaskRecord = InstanceType<JobModels['JobTask']>;
