SELECT
  "id",
  1.0 / (1.0 + EXP(-score_0)) AS "proba_>50K"
FROM (
  SELECT
    "id",
    (-1.2923356733880484)
      + CASE WHEN "age" IS NULL THEN 0.0 WHEN "age" < 28.5 THEN -0.4023026340636518 WHEN "age" < 37.5 THEN -0.04247963424939477 WHEN "age" < 47.5 THEN 0.16483362365384216 ELSE 0.320708122302201 END
      + CASE WHEN "workclass" IS NULL THEN -0.016125576818584397 WHEN "workclass" IN ('Federal-gov') THEN 0.060521930774559876 WHEN "workclass" IN ('Local-gov') THEN 0.02334985840122003 WHEN "workclass" IN ('Private') THEN -0.02890720310794455 WHEN "workclass" IN ('Self-emp-inc') THEN 0.06217355990308057 WHEN "workclass" IN ('Self-emp-not-inc') THEN 0.10308443646013268 WHEN "workclass" IN ('State-gov') THEN 0.1792422715970569 ELSE 0.0 END
      + CASE WHEN "education-num" IS NULL THEN 0.0 WHEN "education-num" < 9.5 THEN -0.2603507093062278 WHEN "education-num" < 10.5 THEN -0.058946752039330814 WHEN "education-num" < 13.5 THEN 0.26309929666463977 ELSE 0.6417957749080624 END
      + CASE WHEN "hours-per-week" IS NULL THEN 0.0 WHEN "hours-per-week" < 40.5 THEN -0.09801969194472852 WHEN "hours-per-week" < 42.5 THEN 0.07353450325794307 ELSE 0.28762224347623483 END
      + CASE WHEN "capital-gain" IS NULL THEN 0.0 WHEN "capital-gain" < 527.5 THEN -0.07567607025019413 ELSE 0.8702748078772323 END
      + CASE WHEN "age" IS NULL THEN CASE WHEN "workclass" IS NULL THEN 0.0 WHEN "workclass" IN ('Federal-gov') THEN 0.0 WHEN "workclass" IN ('Local-gov') THEN 0.0 WHEN "workclass" IN ('Private') THEN 0.0 WHEN "workclass" IN ('Self-emp-inc') THEN 0.0 WHEN "workclass" IN ('Self-emp-not-inc') THEN 0.0 WHEN "workclass" IN ('State-gov') THEN 0.0 ELSE 0.0 END WHEN "age" < 37.5 THEN CASE WHEN "workclass" IS NULL THEN -0.30600634129174864 WHEN "workclass" IN ('Federal-gov') THEN -0.16631277617489176 WHEN "workclass" IN ('Local-gov') THEN -0.1558000589035026 WHEN "workclass" IN ('Private') THEN -0.15321694653030044 WHEN "workclass" IN ('Self-emp-inc') THEN -0.02093097346821778 WHEN "workclass" IN ('Self-emp-not-inc') THEN 0.144330188642942 WHEN "workclass" IN ('State-gov') THEN 0.3531014776918759 ELSE 0.0 END ELSE CASE WHEN "workclass" IS NULL THEN 0.15798797917513865 WHEN "workclass" IN ('Federal-gov') THEN 0.21305028725575523 WHEN "workclass" IN ('Local-gov') THEN 0.17299530132185773 WHEN "workclass" IN ('Private') THEN 0.13239958073812366 WHEN "workclass" IN ('Self-emp-inc') THEN 0.12380613591956757 WHEN "workclass" IN ('Self-emp-not-inc') THEN 0.07301093573007057 WHEN "workclass" IN ('State-gov') THEN 0.11093097225981466 ELSE 0.0 END END AS score_0
  FROM "adult"
) AS scored;
