-- Tables the commerce functions' SQL output bindings write (they upsert by primary key, so each
-- table needs one). Run once per environment as the SQL administrator, after the database users
-- exist (CREATE USER [<app name>] FROM EXTERNAL PROVIDER).

-- In the Transactions database:
CREATE TABLE dbo.Payments (
  OrderId NVARCHAR(500) NOT NULL PRIMARY KEY,
  UserId NVARCHAR(500) NOT NULL,
  Amount DECIMAL(12, 2) NOT NULL,
  Currency CHAR(3) NOT NULL,
  Status VARCHAR(10) NOT NULL,
  ProviderReference NVARCHAR(255) NOT NULL,
  Reason NVARCHAR(2000) NULL,
  ProcessedAt DATETIMEOFFSET NOT NULL
);
CREATE TABLE dbo.TableChanges (
  ChangeId NVARCHAR(128) NOT NULL PRIMARY KEY,
  TableName VARCHAR(20) NOT NULL,
  Change VARCHAR(10) NOT NULL,
  ItemKeys NVARCHAR(MAX) NOT NULL,
  Item NVARCHAR(MAX) NULL,
  Sequence VARCHAR(64) NOT NULL,
  ChangedAt DATETIMEOFFSET NOT NULL
);
-- (the payment-processor and backup-service apps' users: db_datareader, db_datawriter)

-- In the Analytics database:
CREATE TABLE dbo.Events (
  EventId NVARCHAR(128) NOT NULL PRIMARY KEY,
  Type NVARCHAR(500) NOT NULL,
  OrderId NVARCHAR(500) NOT NULL,
  UserId NVARCHAR(500) NOT NULL,
  Amount DECIMAL(12, 2) NULL,
  Payload NVARCHAR(MAX) NOT NULL,
  OccurredAt DATETIMEOFFSET NOT NULL
);
-- (the analytics-processor app's user: db_datareader, db_datawriter)
