SELECT
  "id",
  1.0 / (1.0 + EXP(-score_0)) AS "proba_>50K"
FROM (
  SELECT
    "id",
    (-1.2923356733880484)
      + CASE WHEN "age" IS NULL THEN 0.0 WHEN "age" < 28.5 THEN -0.40230263406365185 WHEN "age" < 37.5 THEN -0.042479634249394806 WHEN "age" < 47.5 THEN 0.16483362365384224 ELSE 0.320708122302201 END
      + CASE WHEN "workclass" IS NULL THEN -0.01612557681858451 WHEN "workclass" IN ('Federal-gov') THEN 0.06052193077455979 WHEN "workclass" IN ('Local-gov') THEN 0.023349858401219982 WHEN "workclass" IN ('Private') THEN -0.02890720310794456 WHEN "workclass" IN ('Self-emp-inc') THEN 0.06217355990308062 WHEN "workclass" IN ('Self-emp-not-inc') THEN 0.10308443646013277 WHEN "workclass" IN ('State-gov') THEN 0.179242271597057 ELSE 0.0 END
      + CASE WHEN "education-num" IS NULL THEN 0.0 WHEN "education-num" < 9.5 THEN -0.26035070930622783 WHEN "education-num" < 10.5 THEN -0.05894675203933081 WHEN "education-num" < 13.5 THEN 0.2630992966646399 ELSE 0.6417957749080623 END
      + CASE WHEN "hours-per-week" IS NULL THEN 0.0 WHEN "hours-per-week" < 40.5 THEN -0.09801969194472848 WHEN "hours-per-week" < 42.5 THEN 0.07353450325794314 ELSE 0.28762224347623483 END
      + CASE WHEN "capital-gain" IS NULL THEN 0.0 WHEN "capital-gain" < 527.5 THEN -0.07567607025019406 ELSE 0.8702748078772317 END
      + CASE WHEN "age" IS NULL THEN CASE WHEN "workclass" IS NULL THEN 0.0 WHEN "workclass" IN ('Federal-gov') THEN 0.0 WHEN "workclass" IN ('Local-gov') THEN 0.0 WHEN "workclass" IN ('Private') THEN 0.0 WHEN "workclass" IN ('Self-emp-inc') THEN 0.0 WHEN "workclass" IN ('Self-emp-not-inc') THEN 0.0 WHEN "workclass" IN ('State-gov') THEN 0.0 ELSE 0.0 END WHEN "age" < 37.5 THEN CASE WHEN "workclass" IS NULL THEN -0.30600634129174853 WHEN "workclass" IN ('Federal-gov') THEN -0.16631277617489162 WHEN "workclass" IN ('Local-gov') THEN -0.1558000589035025 WHEN "workclass" IN ('Private') THEN -0.15321694653030038 WHEN "workclass" IN ('Self-emp-inc') THEN -0.020930973468217828 WHEN "workclass" IN ('Self-emp-not-inc') THEN 0.1443301886429419 WHEN "workclass" IN ('State-gov') THEN 0.35310147769187594 ELSE 0.0 END ELSE CASE WHEN "workclass" IS NULL THEN 0.15798797917513863 WHEN "workclass" IN ('Federal-gov') THEN 0.21305028725575523 WHEN "workclass" IN ('Local-gov') THEN 0.1729953013218577 WHEN "workclass" IN ('Private') THEN 0.1323995807381236 WHEN "workclass" IN ('Self-emp-inc') THEN 0.12380613591956752 WHEN "workclass" IN ('Self-emp-not-inc') THEN 0.07301093573007052 WHEN "workclass" IN ('State-gov') THEN 0.1109309722598149 ELSE 0.0 END END AS score_0
  FROM "adult"
) AS scored;
